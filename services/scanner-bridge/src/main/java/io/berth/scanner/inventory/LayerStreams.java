package io.berth.scanner.inventory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Turns a layer's bytes into its tar stream. The magic bytes decide, not the media type (a
 * manifest can say {@code tar+gzip} for a plain tar, or docker's {@code rootfs.diff.tar.gzip}
 * for zstd): {@code 1f 8b} is gzip (concatenated members allowed, CRC and length of each member
 * checked, so a gzip lying about its length fails), {@code 28 b5 2f fd} is zstd (zstd-jni),
 * anything else is read as a plain tar. Decompression is streaming: memory is the
 * decompressor's window, whatever the layer's size.
 */
final class LayerStreams {

    static final int BUFFER = 64 * 1024;

    private LayerStreams() {
    }

    /** What the magic bytes say the layer is. */
    enum Compression { GZIP, ZSTD, NONE }

    static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** The decompressed stream of {@code raw}; closing it closes {@code raw}. */
    static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        return switch (detect(in)) {
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdCompressorInputStream(in);
            case NONE -> in;
        };
    }
}
