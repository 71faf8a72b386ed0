package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * Java, npm and Python packages. The jars are real ones from the Maven repository, found on the
 * test classpath: commons-compress (one pom.properties), narayana-jta (an aggregate of eight
 * artifacts, each with its pom.properties), zstd-jni (no pom.properties, a manifest only).
 */
class LanguagePackagesTest {

    private final ImageInventory inventory = new ImageInventory();

    static Path commonsCompress() {
        return TestLayers.jarOf(TarArchiveInputStream.class);
    }

    static Path narayana() throws ClassNotFoundException {
        return TestLayers.jarOf(Class.forName("com.arjuna.ats.jta.TransactionManager"));
    }

    static Path zstdJni() {
        return TestLayers.jarOf(com.github.luben.zstd.Zstd.class);
    }

    /** A zip with STORED entries, as Spring Boot writes the jars it nests. */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static List<String> coordinates(Inventory inv) {
        return inv.packages().stream().map(p -> p.name() + "@" + p.version()).sorted().toList();
    }

    @Test
    void aJarsPomPropertiesNameIt() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("app/lib/commons-compress-1.28.0.jar", commonsCompress()).gzip("sha256:j")));
        assertEquals(1, inv.packages().size());
        InstalledPackage p = inv.packages().get(0);
        assertEquals(Ecosystem.MAVEN, p.ecosystem());
        assertEquals("org.apache.commons:commons-compress", p.name());
        assertEquals("1.28.0", p.version());
        assertEquals("pkg:maven/org.apache.commons/commons-compress@1.28.0", p.purl());
        assertEquals("app/lib/commons-compress-1.28.0.jar!/META-INF/maven/org.apache.commons/commons-compress/pom.properties",
                p.path());
    }

    @Test
    void everyPomPropertiesOfAnAggregateJarCounts() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("opt/narayana-jta.jar", narayana()).gzip("sha256:s")));
        assertEquals(8, inv.packages().size(), coordinates(inv).toString());
        assertTrue(coordinates(inv).contains("org.jboss.narayana.arjunacore:arjuna@7.3.3.Final"));
        assertTrue(coordinates(inv).contains("org.jboss.narayana.jta:narayana-jta@7.3.3.Final"));
    }

    @Test
    void aJarWithoutPomPropertiesIsNamedByItsManifest() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("app/zstd.jar", zstdJni()).gzip("sha256:m")));
        assertEquals(List.of("com.github.luben:zstd-jni@1.5.6-10"), coordinates(inv));
        assertEquals("pkg:maven/com.github.luben/zstd-jni@1.5.6-10", inv.packages().get(0).purl());
    }

    @Test
    void nestedJarsAreWalkedWithoutExtractingDownToTheDepthLimit() throws Exception {
        byte[] inner = zip(Map.of("lib/narayana-jta.jar", Files.readAllBytes(narayana())));
        Map<String, byte[]> boot = new LinkedHashMap<>();
        boot.put("META-INF/maven/com.example/app/pom.properties",
                "groupId=com.example\nartifactId=app\nversion=1.0.0\n".getBytes(StandardCharsets.UTF_8));
        boot.put("BOOT-INF/lib/commons-compress-1.28.0.jar", Files.readAllBytes(commonsCompress()));
        boot.put("BOOT-INF/lib/inner.jar", inner);
        boot.put("BOOT-INF/lib/zstd-jni.jar", Files.readAllBytes(zstdJni()));
        byte[] app = zip(boot);

        Inventory inv = inventory.inventory(List.of(TestLayers.tar().file("app.jar", app).gzip("sha256:n")));
        List<String> found = coordinates(inv);
        assertEquals(1 + 1 + 8 + 1, found.size(), found.toString());
        assertTrue(found.contains("com.example:app@1.0.0"));
        assertTrue(found.contains("org.apache.commons:commons-compress@1.28.0"));
        assertTrue(found.contains("com.github.luben:zstd-jni@1.5.6-10"));
        assertTrue(inv.packages().stream().anyMatch(p -> p.path().equals(
                "app.jar!/BOOT-INF/lib/inner.jar!/lib/narayana-jta.jar!/META-INF/maven/org.jboss.narayana/common/pom.properties")));

        InventoryLimits shallow = new InventoryLimits(8 << 20, 64 << 20, 1 << 20, 2, 1000, 10);
        Inventory limited = new ImageInventory(shallow).inventory(List.of(TestLayers.tar().file("app.jar", app).gzip("sha256:n")));
        assertEquals(3, limited.packages().size(), coordinates(limited).toString());
        assertTrue(limited.warnings().stream().anyMatch(w -> w.contains("nested deeper than 2")), limited.warnings().toString());
    }

    @Test
    void aBrokenJarIsAWarningAndTheLayerGoesOn() throws Exception {
        byte[] real = Files.readAllBytes(commonsCompress());
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("a/garbage.jar", "this is not a zip at all".repeat(100))
                .file("b/truncated.jar", Arrays.copyOf(real, real.length / 3))
                .file("c/zstd.jar", zstdJni())
                .gzip("sha256:b")));
        assertTrue(coordinates(inv).contains("com.github.luben:zstd-jni@1.5.6-10"), coordinates(inv).toString());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("b/truncated.jar")), inv.warnings().toString());
    }

    @Test
    void npmPackagesUnderNodeModulesScopedAndNested() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("app/package.json", "{\"name\":\"my-app\",\"version\":\"0.0.1\"}")
                .file("app/node_modules/express/package.json", "{\"name\":\"express\",\"version\":\"4.18.2\",\"license\":\"MIT\"}")
                .file("app/node_modules/express/lib/package.json", "{\"name\":\"not-a-package\",\"version\":\"1\"}")
                .file("app/node_modules/@babel/core/package.json", "{\"name\":\"@babel/core\",\"version\":\"7.23.9\"}")
                .file("app/node_modules/send/node_modules/debug/package.json", "{\"name\":\"debug\",\"version\":\"2.6.9\"}")
                .file("app/node_modules/broken/package.json", "{\"name\": ")
                .file("app/node_modules/noversion/package.json", "{\"name\":\"noversion\"}")
                .layer("sha256:npm", TestLayers.Compression.ZSTD)));
        assertEquals(List.of("@babel/core@7.23.9", "debug@2.6.9", "express@4.18.2"), coordinates(inv));
        InstalledPackage babel = inv.packages().stream().filter(p -> p.name().equals("@babel/core")).findFirst().orElseThrow();
        assertEquals(Ecosystem.NPM, babel.ecosystem());
        assertEquals("pkg:npm/%40babel/core@7.23.9", babel.purl());
        assertEquals(2, inv.warnings().size(), inv.warnings().toString());
    }

    @Test
    void pythonDistInfoAndEggInfo() throws Exception {
        String metadata = "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nSummary: YAML parser and emitter for Python\n"
                + "Requires-Python: >=3.6\n\nName: not-this\nVersion: 0.0.0\n" + "long description\n".repeat(10_000);
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA", metadata)
                .file("usr/local/lib/python3.11/site-packages/typing_extensions-4.9.0.dist-info/METADATA",
                        "Metadata-Version: 2.1\r\nName: typing_extensions\r\nVersion: 4.9.0\r\n\r\n")
                .file("usr/lib/python3/dist-packages/six.egg-info/PKG-INFO", "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n")
                .file("usr/lib/python3/dist-packages/other.dist-info/RECORD", "Name: x\nVersion: 1\n")
                .gzip("sha256:py")));
        assertEquals(List.of("PyYAML@6.0.1", "six@1.16.0", "typing_extensions@4.9.0"), coordinates(inv));
        assertTrue(inv.packages().stream().anyMatch(p -> "pkg:pypi/pyyaml@6.0.1".equals(p.purl())));
        assertTrue(inv.packages().stream().anyMatch(p -> "pkg:pypi/typing-extensions@4.9.0".equals(p.purl())));
    }
}
