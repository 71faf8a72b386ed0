package io.berth.scanner.inventory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Go binaries: the build info the Go linker embeds in every ELF executable (the
 * {@code .go.buildinfo} section, what {@code go version -m} prints). Any regular file with an
 * execute bit is a candidate; one that does not start with the ELF magic is left after 16
 * bytes. An ELF file is scanned as a stream, never held, for the 14-byte magic
 * {@code "\xff Go buildinf:"} at a 16-byte aligned offset (the section's alignment); reading
 * stops right after the build info, so the cost is at most one pass over the file, which the
 * layer's decompression pays anyway.
 *
 * <p>After the magic: pointer size, flags, padding to 32 bytes, then (Go 1.18 and later, flag
 * bit 2) two varint-prefixed strings, the Go version and the module info. The module info,
 * between two 16-byte sentinels, holds {@code mod <path> <version>}, {@code dep <path>
 * <version>} and {@code => <path> <version>} (replaces the dep above it) lines. Found: every
 * dep, the main module unless it is {@code (devel)}, and {@code stdlib} at the Go version (OSV's
 * name for the standard library). Build info of Go before 1.18 (pointers into the data
 * segment) is not read: a warning says so.
 */
final class GoBinaryAnalyzer implements Analyzer {

    private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int ALIGN = 16;
    private static final int HEADER = 32;
    private static final int CHUNK = 64 * 1024; // a multiple of ALIGN: the magic never straddles chunks

    @Override
    public boolean wants(String path, int mode) {
        return (mode & 0111) != 0;
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return Long.MAX_VALUE; // streamed, never held
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        byte[] head = content.readNBytes(ALIGN);
        if (head.length < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            return Findings.NONE;
        }
        byte[] chunk = new byte[CHUNK];
        int n;
        while ((n = content.readNBytes(chunk, 0, CHUNK)) > 0) {
            for (int i = 0; i + MAGIC.length <= n; i += ALIGN) {
                if (chunk[i] == MAGIC[0] && matches(chunk, i)) {
                    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(chunk, i, n - i), content);
                    return parse(rest, path, context);
                }
            }
        }
        return Findings.NONE;
    }

    private static boolean matches(byte[] buf, int at) {
        for (int k = 0; k < MAGIC.length; k++) {
            if (buf[at + k] != MAGIC[k]) {
                return false;
            }
        }
        return true;
    }

    private static Findings parse(InputStream in, String path, Context context) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < HEADER) {
            throw new IOException("Go build info header cut short");
        }
        if ((header[15] & 0x2) == 0) {
            context.warn(path + ": Go build info of a Go older than 1.18, not read");
            return Findings.NONE;
        }
        int cap = context.limits().metadataBytes();
        String goVersion = string(in, cap);
        String modInfo = string(in, cap);
        if (modInfo.length() >= 33 && modInfo.charAt(modInfo.length() - 17) == '\n') {
            modInfo = modInfo.substring(16, modInfo.length() - 16); // the sentinels around it
        }
        List<FoundPackage> found = new ArrayList<>();
        for (String line : modInfo.split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 3 || f[2].isEmpty()) {
                continue;
            }
            switch (f[0]) {
                case "mod" -> {
                    if (!f[2].equals("(devel)")) {
                        found.add(FoundPackage.language(FoundPackage.Kind.GO, f[1], f[2], path));
                    }
                }
                case "dep" -> found.add(FoundPackage.language(FoundPackage.Kind.GO, f[1], f[2], path));
                case "=>" -> {
                    if (!found.isEmpty()) {
                        found.set(found.size() - 1, FoundPackage.language(FoundPackage.Kind.GO, f[1], f[2], path));
                    }
                }
                default -> {
                }
            }
        }
        String go = goVersion.trim().split("\\s+")[0]; // "go1.22.0 X:boringcrypto"
        if (go.startsWith("go") && go.length() > 2) {
            found.add(FoundPackage.language(FoundPackage.Kind.GO, "stdlib", go.substring(2), path));
        }
        return Findings.of(found);
    }

    /** A uvarint-prefixed string (encoding/binary's Uvarint), at most {@code cap} bytes. */
    private static String string(InputStream in, int cap) throws IOException {
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.read();
            if (b < 0 || shift > 63) {
                throw new IOException("Go build info: bad string length");
            }
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length > cap) {
            throw new IOException("Go build info string of " + length + " bytes, over the cap");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new IOException("Go build info string cut short");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
