package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OS package databases read from real files: dpkg status stanzas copied from a Debian 12
 * machine, an Alpine 3.19 {@code installed} in apk-tools' format (real package names and
 * versions; the checksum lines are placeholders), an rpmdb.sqlite written by rpm 4.18 (WAL mode,
 * as images ship it) from packages built with rpmbuild to mirror Rocky 9's openssl-libs and bash.
 */
class OsPackagesTest {

    private final ImageInventory inventory = new ImageInventory();

    static Map<String, InstalledPackage> byName(Inventory inv) {
        return inv.packages().stream().collect(Collectors.toMap(InstalledPackage::name, Function.identity()));
    }

    @Test
    void debianStatusGivesInstalledPackagesWithSourcesAndPurls() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("usr/lib/os-release", "os-release-debian12")
                .symlink("etc/os-release", "../usr/lib/os-release")
                .resource("var/lib/dpkg/status", "dpkg-status")
                .gzip("sha256:base")));

        assertEquals(new OsRelease("debian", "12"), inv.os());
        Map<String, InstalledPackage> p = byName(inv);
        assertEquals(8, p.size(), p.keySet().toString());
        InstalledPackage libssl = p.get("libssl3");
        assertEquals(Ecosystem.DEBIAN, libssl.ecosystem());
        assertEquals("12", libssl.release());
        assertEquals("3.0.19-1~deb12u2", libssl.version());
        assertEquals("openssl", libssl.sourceName());
        assertNull(libssl.sourceVersion());
        assertEquals("pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12", libssl.purl());
        assertEquals("var/lib/dpkg/status", libssl.path());
        assertEquals("sha256:base", libssl.layer());
        // Source with its own version: "Source: util-linux (2.38.1-5+deb12u3)"
        InstalledPackage bsdutils = p.get("bsdutils");
        assertEquals("1:2.38.1-5+deb12u3", bsdutils.version());
        assertEquals("util-linux", bsdutils.sourceName());
        assertEquals("2.38.1-5+deb12u3", bsdutils.sourceVersion());
        assertEquals("2.38.1-5+deb12u3", bsdutils.advisoryVersion());
        InstalledPackage zlib = p.get("zlib1g");
        assertEquals("1:1.2.13.dfsg-1", zlib.version());
        assertEquals("zlib", zlib.advisoryName());
        assertNull(p.get("openssl").sourceName(), "Source absent: the package is its own source");
    }

    @Test
    void ubuntuOsReleaseMakesDpkgPackagesUbuntu() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("etc/os-release", "os-release-ubuntu2204")
                .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\n"
                        + "Architecture: amd64\nVersion: 5.1-6ubuntu1.1\n")
                .gzip("sha256:u")));
        InstalledPackage bash = inv.packages().get(0);
        assertEquals(Ecosystem.UBUNTU, bash.ecosystem());
        assertEquals("22.04", bash.release());
        assertEquals("pkg:deb/ubuntu/bash@5.1-6ubuntu1.1?arch=amd64&distro=ubuntu-22.04", bash.purl());
    }

    @Test
    void statusOnlyCountsInstalledPackagesAndStatusDirAddsDistrolessOnes() throws Exception {
        String status = """
                Package: removed-one
                Status: deinstall ok config-files
                Version: 1.0-1

                Package: half
                Status: install ok half-installed
                Version: 1.0-1

                Package: kept
                Status: install ok installed
                Version: 2.0-1
                """;
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("etc/os-release", "os-release-debian12")
                .file("var/lib/dpkg/status", status)
                .file("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")
                .file("var/lib/dpkg/status.d/tzdata.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n")
                .gzip("sha256:distroless")));
        assertEquals(List.of("kept", "tzdata"), inv.packages().stream().map(InstalledPackage::name).sorted().toList());
        assertEquals("var/lib/dpkg/status.d/tzdata", byName(inv).get("tzdata").path());
    }

    @Test
    void malformedStanzaIsSkippedAndTheOthersKept() throws Exception {
        String status = TestLayers.readResource("dpkg-status")
                + "Package: broken\nthis line is not a field\nVersion: 1.0\n\n"
                + "Package: badversion\nStatus: install ok installed\nVersion: not-a-version\n\n"
                + "Status: install ok installed\nVersion: 1.0-1\n\n";
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("var/lib/dpkg/status", status).gzip("sha256:m")));
        assertEquals(8, inv.packages().size());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("3 malformed stanza")), inv.warnings().toString());
        // without os-release: still Debian, but no release to match advisories of
        assertEquals(Ecosystem.DEBIAN, inv.packages().get(0).ecosystem());
        assertNull(inv.packages().get(0).release());
    }

    @Test
    void alpineInstalledGivesOriginsAndReleaseWithV() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("etc/os-release", "os-release-alpine319")
                .resource("lib/apk/db/installed", "apk-installed")
                .layer("sha256:alpine", TestLayers.Compression.ZSTD)));
        Map<String, InstalledPackage> p = byName(inv);
        assertEquals(6, p.size());
        InstalledPackage libcrypto = p.get("libcrypto3");
        assertEquals(Ecosystem.ALPINE, libcrypto.ecosystem());
        assertEquals("v3.19", libcrypto.release());
        assertEquals("3.1.4-r5", libcrypto.version());
        assertEquals("openssl", libcrypto.sourceName());
        assertEquals("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1", libcrypto.purl());
        assertNull(p.get("musl").sourceName(), "origin equal to the name is no separate source");
        assertEquals("busybox", p.get("ssl_client").sourceName());
    }

    @Test
    void rpmdbSqliteGivesEpochVersionReleaseAndSourceRpm() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("etc/os-release", "os-release-rocky9")
                .resource("var/lib/rpm/rpmdb.sqlite", "rpmdb.sqlite")
                .gzip("sha256:rocky")));
        Map<String, InstalledPackage> p = byName(inv);
        assertEquals(2, p.size(), p.keySet().toString());
        InstalledPackage libs = p.get("openssl-libs");
        assertEquals(Ecosystem.ROCKY, libs.ecosystem());
        assertEquals("9", libs.release());
        assertEquals("1:3.0.7-24.el9", libs.version());
        assertEquals("openssl", libs.sourceName());
        assertNull(libs.sourceVersion());
        assertEquals("pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1", libs.purl());
        InstalledPackage bash = p.get("bash");
        assertEquals("5.1.8-9.el9", bash.version());
        assertNull(bash.sourceName());
        assertTrue(inv.warnings().isEmpty(), inv.warnings().toString());
    }

    @Test
    void aCorruptRpmdbIsAWarningNotAFailure() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0 but not really")
                .resource("lib/apk/db/installed", "apk-installed")
                .gzip("sha256:x")));
        assertEquals(6, inv.packages().size());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("var/lib/rpm/rpmdb.sqlite")), inv.warnings().toString());
    }
}
