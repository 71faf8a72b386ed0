package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/** Layers too big to hold, generated as they are read. */
public final class StreamingTestData {

    private StreamingTestData() {
    }

    /** {@code size} zero bytes; skip is O(1), as a ranged object-store read can be. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, left));
            left -= s;
            return s;
        }
    }

    /** Streams one after the other, passing skip through (SequenceInputStream does not). */
    static final class Concat extends InputStream {
        private final List<InputStream> parts;
        private int current;

        Concat(List<InputStream> parts) {
            this.parts = parts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (current < parts.size()) {
                int n = parts.get(current).read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                current++;
            }
            return -1;
        }

        @Override
        public long skip(long n) throws IOException {
            while (current < parts.size()) {
                long s = parts.get(current).skip(n);
                if (s > 0) {
                    return s;
                }
                if (parts.get(current).read() < 0) {
                    current++;
                } else {
                    return 1;
                }
            }
            return 0;
        }
    }

    /** The 512-byte tar header of a regular file; star (base-256) size for files over 8 GiB. */
    static byte[] header(String name, long size) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            byte[] header = new byte[512];
            e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tar whose first entry is a GNU long name ({@code L}) or PAX header ({@code x}) of {@code size} bytes. */
    static InputStream hugeMetadataTar(byte type, long size) {
        try {
            TarArchiveEntry e = new TarArchiveEntry("././@LongLink", type);
            e.setSize(size);
            byte[] header = new byte[512];
            e.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
            long padding = (512 - size % 512) % 512;
            return new Concat(List.of(new java.io.ByteArrayInputStream(header), new Letters(size),
                    new Zeros(padding + 1024)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} bytes of 'a', a name that never ends. */
    static final class Letters extends InputStream {
        private long left;

        Letters(long size) {
            left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? 'a' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 'a');
            left -= n;
            return n;
        }
    }

    /** A plain tar of zero-filled files of {@code size} bytes each, generated while read. */
    public static InputStream zeroFilledTar(long size, String... names) {
        long padding = (512 - size % 512) % 512;
        List<InputStream> parts = new java.util.ArrayList<>();
        for (String name : names) {
            parts.add(new java.io.ByteArrayInputStream(header(name, size)));
            parts.add(new Zeros(size + padding));
        }
        parts.add(new Zeros(1024)); // the two end-of-archive blocks
        return new Concat(parts);
    }
}
