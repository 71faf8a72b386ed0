package io.berth.scanner.inventory;

/**
 * Layers of {@link TestLayers} for tests outside this package (the Pluggable Scanner API's, which
 * push them into a real registry): real package databases from src/test/resources/inventory.
 */
public final class TestImageLayers {

    private TestImageLayers() {}

    /** A tar of Debian 12's os-release and a real dpkg status (zlib1g 1:1.2.13.dfsg-1 among others), uncompressed. */
    public static byte[] debian12Tar() {
        return TestLayers.tar().resource("etc/os-release", "os-release-debian12")
                .resource("var/lib/dpkg/status", "dpkg-status").bytes();
    }

    /** {@code tar} gzip-compressed, as a layer is pushed. */
    public static byte[] gzip(byte[] tar) {
        return TestLayers.compress(tar, TestLayers.Compression.GZIP);
    }
}
