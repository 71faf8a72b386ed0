package io.berth.scanner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Go build info from a real Go 1.19 binary (test resources' README says how it was built) and from crafted ones. */
class GoBinaryTest {

    private static final byte[] SENTINEL_START = {0x30, 0x77, (byte) 0xaf, 0x0c, (byte) 0x92, 0x74, 0x08, 0x02,
        0x41, (byte) 0xe1, (byte) 0xc1, 0x07, (byte) 0xe6, (byte) 0xd6, 0x18, (byte) 0xe6};
    private static final byte[] SENTINEL_END = {(byte) 0xf9, 0x32, 0x43, 0x31, (byte) 0x86, 0x18, 0x20, 0x72,
        0x00, (byte) 0x82, 0x42, 0x10, 0x41, 0x16, (byte) 0xd8, (byte) 0xf2};

    private final ImageInventory inventory = new ImageInventory();

    static byte[] hello() throws IOException {
        try (InputStream in = new GZIPInputStream(Objects.requireNonNull(
                GoBinaryTest.class.getResourceAsStream("/inventory/go-hello.gz")))) {
            return in.readAllBytes();
        }
    }

    private static List<String> coordinates(Inventory inv) {
        return inv.packages().stream().map(p -> p.name() + "@" + p.version()).sorted().toList();
    }

    @Test
    void aRealGoBinaryListsItsDependenciesAndTheStandardLibrary() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("usr/local/bin/hello", hello(), 0755).gzip("sha256:go")));
        assertEquals(List.of("golang.org/x/text@v0.3.8-0.20220509174342-b4bca84b0361", "stdlib@1.19.8"),
                coordinates(inv), "the main module is (devel) and not listed");
        InstalledPackage text = inv.packages().stream().filter(p -> p.name().startsWith("golang.org")).findFirst().orElseThrow();
        assertEquals(Ecosystem.GO, text.ecosystem());
        assertEquals("usr/local/bin/hello", text.path());
        assertEquals("pkg:golang/golang.org/x/text@v0.3.8-0.20220509174342-b4bca84b0361", text.purl());
    }

    @Test
    void onlyExecutableElfFilesAreRead() throws Exception {
        Inventory inv = inventory.inventory(List.of(TestLayers.tar()
                .file("usr/share/doc/hello", hello(), 0644)
                .file("usr/local/bin/script", "#!/bin/sh\necho \u00ff Go buildinf:\n".getBytes(StandardCharsets.ISO_8859_1), 0755)
                .gzip("sha256:not")));
        assertTrue(inv.packages().isEmpty(), inv.packages().toString());
    }

    /** Build info placed so its header straddles the scanner's 64 KiB chunks, with a replaced dep. */
    @Test
    void craftedBuildInfoWithReplacementAcrossChunks() throws Exception {
        String mod = "path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:x=\n"
                + "dep\tgithub.com/a/b\tv1.0.0\th1:y=\n=>\tgithub.com/fork/b\tv1.0.1\th1:z=\n"
                + "dep\tgolang.org/x/net\tv0.17.0\th1:w=\nbuild\tGOOS=linux\n";
        byte[] elf = elfWithBuildInfo(65536 - 16, "go1.21.4", mod);
        Inventory inv = inventory.inventory(List.of(TestLayers.tar().file("app", elf, 0700).gzip("sha256:c")));
        assertEquals(List.of("example.com/app@v1.2.3", "github.com/fork/b@v1.0.1", "golang.org/x/net@v0.17.0",
                "stdlib@1.21.4"), coordinates(inv));
    }

    @Test
    void brokenBuildInfoIsAWarning() throws Exception {
        byte[] elf = elfWithBuildInfo(4096, "go1.21.4", "mod\tx\tv1\t\n");
        byte[] cut = java.util.Arrays.copyOf(elf, 4096 + 16 + 32 + 5);
        Inventory inv = inventory.inventory(List.of(TestLayers.tar().file("app", cut, 0755).gzip("sha256:b")));
        assertTrue(inv.packages().isEmpty());
        assertTrue(inv.warnings().stream().anyMatch(w -> w.startsWith("app in sha256:b: Go build info")), inv.warnings().toString());
    }

    /** "\x7fELF", zeros up to {@code offset} (from byte 16), then a Go 1.18+ build info block with inline strings. */
    static byte[] elfWithBuildInfo(int offset, String goVersion, String modInfo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x7f, 'E', 'L', 'F'});
        out.write(new byte[12 + offset]);
        byte[] header = new byte[32];
        byte[] magic = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(magic, 0, header, 0, magic.length);
        header[14] = 8;
        header[15] = 2;
        out.write(header);
        writeString(out, goVersion.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream mod = new ByteArrayOutputStream();
        mod.write(SENTINEL_START);
        mod.write(modInfo.getBytes(StandardCharsets.UTF_8));
        mod.write(SENTINEL_END);
        writeString(out, mod.toByteArray());
        out.write(new byte[1000]);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, byte[] s) {
        long v = s.length;
        while (v >= 0x80) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        out.write(s, 0, s.length);
    }
}
