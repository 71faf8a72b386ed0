package io.berth.scanner.flow;

import io.berth.scanner.inventory.TestLayers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Layers for the flow's tests, built with the inventory's test helpers. */
final class Images {

    private Images() {}

    /** Debian 12 with its real dpkg status: zlib1g 1:1.2.13.dfsg-1, which DEBIAN-CVE-2023-45853 affects. */
    static byte[] debianLayer() {
        return TestLayers.compress(TestLayers.tar()
                .resource("etc/os-release", "os-release-debian12")
                .resource("var/lib/dpkg/status", "dpkg-status")
                .bytes(), TestLayers.Compression.GZIP);
    }

    /** An application layer with log4j-core 2.14.1 (Log4Shell, GHSA-jfh8-c2jp-5v3q) as a jar. */
    static byte[] log4jLayer() {
        return TestLayers.compress(TestLayers.tar()
                .file("app/lib/log4j-core-2.14.1.jar", jar("org.apache.logging.log4j", "log4j-core", "2.14.1"))
                .file("app/README", "nonce " + ScanFixture.random())
                .bytes(), TestLayers.Compression.GZIP);
    }

    /** A layer with nothing any analyzer wants. */
    static byte[] plainLayer() {
        return TestLayers.compress(TestLayers.tar().file("srv/hello.txt", "hello " + ScanFixture.random()).bytes(),
                TestLayers.Compression.GZIP);
    }

    /** A jar holding only the Maven coordinates a build writes into it. */
    static byte[] jar(String group, String artifact, String version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
            zip.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
