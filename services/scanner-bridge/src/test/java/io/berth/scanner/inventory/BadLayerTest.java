package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;

/** Bad input never crashes or hangs: a typed failure for a broken layer, a warning for a bad file. */
class BadLayerTest {

    private final ImageInventory inventory = new ImageInventory();

    private InventoryException fails(Layer layer) {
        return assertThrows(InventoryException.class, () -> inventory.inventory(List.of(layer)));
    }

    private static byte[] goodTar() {
        return TestLayers.tar().resource("var/lib/dpkg/status", "dpkg-status").bytes();
    }

    @Test
    void aLayerThatIsNotATar() {
        byte[] text = "#!/bin/sh\necho this is a shell script, not a layer\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        InventoryException e = fails(TestLayers.raw("sha256:text", TestLayers.TAR, text));
        assertEquals("sha256:text", e.layer());
        assertTrue(e.getMessage().startsWith("layer sha256:text: cannot read application/vnd.oci.image.layer.v1.tar"),
                e.getMessage());
        fails(TestLayers.raw("sha256:gz-text", TestLayers.GZIP, TestLayers.compress(text, TestLayers.Compression.GZIP)));
    }

    @Test
    void aTruncatedGzipOrZstd() {
        byte[] gz = TestLayers.compress(goodTar(), TestLayers.Compression.GZIP);
        InventoryException e = fails(TestLayers.raw("sha256:cut", TestLayers.GZIP, Arrays.copyOf(gz, gz.length - 40)));
        assertTrue(e.getMessage().contains("sha256:cut"), e.getMessage());
        byte[] zst = TestLayers.compress(goodTar(), TestLayers.Compression.ZSTD);
        fails(TestLayers.raw("sha256:cut-zstd", TestLayers.ZSTD, Arrays.copyOf(zst, zst.length / 2)));
        fails(TestLayers.raw("sha256:magic-only", TestLayers.GZIP, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2}));
    }

    @Test
    void aGzipLyingAboutItsLengthOrChecksum() {
        byte[] gz = TestLayers.compress(goodTar(), TestLayers.Compression.GZIP);
        byte[] lyingSize = gz.clone();
        lyingSize[gz.length - 4] ^= 0x01; // ISIZE, the trailer's uncompressed length
        InventoryException e = fails(TestLayers.raw("sha256:isize", TestLayers.GZIP, lyingSize));
        assertTrue(e.getMessage().contains("sha256:isize"), e.getMessage());
        byte[] lyingCrc = gz.clone();
        lyingCrc[gz.length - 8] ^= 0x01;
        fails(TestLayers.raw("sha256:crc", TestLayers.GZIP, lyingCrc));
    }

    @Test
    void aTarEntryLongerThanTheLayer() {
        byte[] tar = goodTar();
        // the status entry's header says ~7 KiB; the layer ends after 1 KiB of it
        byte[] cut = TestLayers.compress(Arrays.copyOf(tar, 512 + 1024), TestLayers.Compression.GZIP);
        fails(TestLayers.raw("sha256:short", TestLayers.GZIP, cut));
    }

    @Test
    void aLayerThatCannotBeOpenedOrIsEmpty() throws Exception {
        InventoryException e = fails(new Layer("sha256:gone", TestLayers.GZIP, () -> {
            throw new IOException("object store: NoSuchKey");
        }));
        assertTrue(e.getMessage().contains("NoSuchKey"), e.getMessage());
        Inventory empty = inventory.inventory(List.of(TestLayers.raw("sha256:empty", TestLayers.TAR, new byte[0])));
        assertTrue(empty.packages().isEmpty());
    }

    @Test
    void theMagicBytesDecideNotTheMediaType() throws Exception {
        for (TestLayers.Compression c : TestLayers.Compression.values()) {
            for (String mediaType : List.of(TestLayers.GZIP, TestLayers.ZSTD, TestLayers.TAR, TestLayers.DOCKER_GZIP)) {
                Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                        .resource("var/lib/dpkg/status", "dpkg-status").layer("sha256:" + c, c, mediaType)));
                assertEquals(8, inv.packages().size(), c + " as " + mediaType);
            }
        }
    }

    @Test
    void dotDotAndAbsoluteNamesAreNormalisedKeysNeverFiles() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("../../../../etc/os-release", "os-release-alpine319")
                .resource("/lib/apk/db/./installed", "apk-installed")
                .file("./app/../../node_modules/x/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}")
                .gzip("sha256:dots")));
        assertEquals("alpine", inv.os().id());
        assertEquals(7, inv.packages().size());
        assertTrue(inv.packages().stream().anyMatch(p -> "node_modules/x/package.json".equals(p.path())));
        assertTrue(inv.packages().stream().anyMatch(p -> "lib/apk/db/installed".equals(p.path())));
    }

    @Test
    void symlinkLoopsAndLinksToDatabasesAreNeverFollowed() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .resource("real/status", "dpkg-status")
                .symlink("a", "b")
                .symlink("b", "a")
                .symlink("loop", "loop/loop")
                .symlink("etc/os-release", "etc/os-release")
                .symlink("var/lib/dpkg/status", "../../../real/status")
                .hardlink("lib/apk/db/installed", "real/status")
                .symlink("app/node_modules", "/")
                .gzip("sha256:links")));
        assertTrue(inv.packages().isEmpty(), inv.packages().toString());
    }

    @Test
    void aMalformedStatusFileOfGarbageIsAWarning() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("var/lib/dpkg/status", garbage)
                .file("lib/apk/db/installed", "no colon here\n\nP:only-a-name\n")
                .file("etc/os-release", garbage)
                .gzip("sha256:garbage")));
        assertTrue(inv.packages().isEmpty());
        assertTrue(inv.warnings().size() >= 2, inv.warnings().toString());
    }

    @Test
    void tooManyPackagesAbandonTheInventory() {
        InventoryLimits few = new InventoryLimits(8 << 20, 64 << 20, 1 << 20, 4, 5, 10);
        InventoryException e = assertThrows(InventoryException.class, () -> new ImageInventory(few).inventory(List.of(
                TestLayers.tar().resource("var/lib/dpkg/status", "dpkg-status").gzip("sha256:many"))));
        assertTrue(e.getMessage().contains("more than 5 packages"), e.getMessage());
    }

    /**
     * Zero-filled files bigger than the heap (at least 2 GiB): one nobody wants, one named like a
     * dpkg status (over its cap: never read), one named like a jar (not a zip: the walk stops at
     * its first bytes). Holding any of them would throw OutOfMemoryError; the tar is generated
     * as it is read, so the test itself holds nothing either.
     */
    @Test
    void filesBiggerThanTheHeapStreamPast() throws Exception {
        long size = Math.max(2L << 30, Runtime.getRuntime().maxMemory() + (256L << 20));
        Layer huge = new Layer("sha256:zeros", TestLayers.TAR, () -> StreamingTestData.zeroFilledTar(size,
                "data/zeros.bin", "var/lib/dpkg/status", "app/huge.jar"));
        Inventory inv = inventory.inventory(List.of(huge));
        assertTrue(inv.packages().isEmpty());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("var/lib/dpkg/status") && w.contains("over the cap")),
                inv.warnings().toString());
    }

    /** commons-compress holds a GNU long name whole: one claiming more than the heap must fail the layer, not the JVM. */
    @Test
    void aLongNameOrPaxHeaderBiggerThanTheHeap() {
        long size = Runtime.getRuntime().maxMemory() + (256L << 20);
        InventoryException e = fails(new Layer("sha256:longname", TestLayers.TAR,
                () -> StreamingTestData.hugeMetadataTar(org.apache.commons.compress.archivers.tar.TarConstants.LF_GNUTYPE_LONGNAME, size)));
        assertTrue(e.getMessage().contains("GNU long name of " + size + " bytes"), e.getMessage());
        InventoryException pax = fails(new Layer("sha256:pax", TestLayers.TAR,
                () -> StreamingTestData.hugeMetadataTar(org.apache.commons.compress.archivers.tar.TarConstants.LF_PAX_EXTENDED_HEADER_LC, size)));
        assertTrue(pax.getMessage().contains("PAX header"), pax.getMessage());
    }

    /** A long name and PAX header of ordinary size still work. */
    @Test
    void ordinaryLongNamesAndPaxHeadersStillWork() throws Exception {
        String deep = "opt/" + "very-long-directory-name/".repeat(20) + "node_modules/left-pad/package.json";
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file(deep, "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}").gzip("sha256:long")));
        assertEquals(deep, inv.packages().get(0).path());
    }

    /** The same through gzip, where skipping means decompressing: 2 GiB of zeros, compressed as streamed. */
    @Test
    void aGzippedTwoGibZeroFileStreamsPast() throws Exception {
        long size = 2L << 30;
        Layer gz = new Layer("sha256:gz-zeros", TestLayers.GZIP, () -> gzipInBackground(
                StreamingTestData.zeroFilledTar(size, "data/zeros.bin", "usr/lib/python3/x.dist-info/METADATA")));
        Inventory inv = inventory.inventory(List.of(gz));
        assertTrue(inv.packages().isEmpty());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.contains("no Name or Version")), inv.warnings().toString());
    }

    private static InputStream gzipInBackground(InputStream plain) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        GzipParameters fast = new GzipParameters();
        fast.setCompressionLevel(1);
        Thread producer = new Thread(() -> {
            try (plain; GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, fast)) {
                plain.transferTo(gz);
            } catch (IOException e) {
                // the reader stopped early; nothing to do
            }
        }, "gzip-producer");
        producer.setDaemon(true);
        producer.start();
        return in;
    }
}
