package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.InstalledPackage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inventory is of the final filesystem: later layers replace, delete and hide. */
class WhiteoutTest {

    private final ImageInventory inventory = new ImageInventory();

    private static Layer debianBase() {
        return TestLayers.tar()
                .resource("etc/os-release", "os-release-debian12")
                .resource("var/lib/dpkg/status", "dpkg-status")
                .file("app/node_modules/express/package.json", "{\"name\":\"express\",\"version\":\"4.18.2\"}")
                .file("app/node_modules/@babel/core/package.json", "{\"name\":\"@babel/core\",\"version\":\"7.23.9\"}")
                .file("app/lib/zstd.jar", LanguagePackagesTest.zstdJni())
                .gzip("sha256:base");
    }

    private static List<String> names(Inventory inv) {
        return inv.packages().stream().map(InstalledPackage::name).sorted().toList();
    }

    @Test
    void aReplacedPackageDatabaseReplacesWhatTheEarlierOneSaid() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .file("var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nSource: openssl\n"
                        + "Version: 3.0.20-1~deb12u1\nArchitecture: amd64\n")
                .gzip("sha256:upgrade")));
        List<InstalledPackage> deb = inv.packages().stream().filter(p -> p.ecosystem().isOs()).toList();
        assertEquals(1, deb.size());
        assertEquals("3.0.20-1~deb12u1", deb.get(0).version());
        assertEquals("sha256:upgrade", deb.get(0).layer());
        assertEquals(4, inv.packages().size());
    }

    @Test
    void aWhiteoutDeletesAFileAndEverythingUnderADirectory() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .whiteout("var/lib/dpkg/status")
                .whiteout("app/node_modules")
                .gzip("sha256:cleanup")));
        assertEquals(List.of("com.github.luben:zstd-jni"), names(inv));
        assertEquals("debian", inv.os().id(), "os-release untouched");
    }

    @Test
    void aWhiteoutAtTheRootAndOfAJar() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .whiteout("app")
                .gzip("sha256:rm-app")));
        assertEquals(8, inv.packages().size());
        assertTrue(inv.packages().stream().allMatch(p -> p.ecosystem().isOs()));
        Inventory noJar = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .whiteout("app/lib/zstd.jar").gzip("sha256:rm-jar")));
        assertEquals(10, noJar.packages().size());
    }

    @Test
    void anOpaqueDirectoryHidesLowerLayersButNotItsOwnLayer() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                // the new file comes before the marker in the tar: the marker only hides lower layers
                .file("app/node_modules/express/package.json", "{\"name\":\"express\",\"version\":\"4.19.2\"}")
                .opaque("app/node_modules")
                .gzip("sha256:reinstall")));
        List<InstalledPackage> npm = inv.packages().stream().filter(p -> p.purl().startsWith("pkg:npm")).toList();
        assertEquals(1, npm.size());
        assertEquals("4.19.2", npm.get(0).version());
        assertEquals("sha256:reinstall", npm.get(0).layer());
    }

    @Test
    void aSymlinkOrDirectoryOverADatabaseRemovesIt() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .symlink("var/lib/dpkg/status", "/dev/null")
                .symlink("etc/os-release", "../usr/lib/os-release")
                .dir("app/node_modules/express/package.json")
                .gzip("sha256:links")));
        assertTrue(inv.packages().stream().noneMatch(p -> p.ecosystem().isOs()));
        assertNull(inv.os(), "etc/os-release is now a symlink to a file no layer had");
        assertEquals(List.of("@babel/core", "com.github.luben:zstd-jni"), names(inv));
    }

    @Test
    void usrLibOsReleaseAnswersWhenEtcIsASymlink() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("usr/lib/os-release", "os-release-alpine319")
                .gzip("sha256:a"), TestLayers.tar()
                .symlink("etc/os-release", "../usr/lib/os-release")
                .resource("lib/apk/db/installed", "apk-installed")
                .gzip("sha256:b")));
        assertEquals("alpine", inv.os().id());
        assertEquals("v3.19", inv.packages().get(0).release());
    }

    @Test
    void aLaterLayerAddsWithoutTouchingOtherPaths() throws Exception {
        Inventory inv = inventory.inventory(List.of(debianBase(), TestLayers.tar()
                .file("srv/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}")
                .whiteout("app/node_modules/expres")  // a sibling's prefix: deletes nothing else
                .gzip("sha256:add")));
        assertEquals(12, inv.packages().size());
    }
}
