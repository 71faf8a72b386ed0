package io.berth.scanner.pull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads of small documents from a registry with a ceiling, so an endless answer cannot fill the heap. */
final class Bounded {

    private Bounded() {}

    /** All of {@code in}, at most {@code max} bytes; more is an IOException naming {@code what}. */
    static byte[] read(InputStream in, int max, String what) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new IOException(what + " is larger than " + max + " bytes");
        }
        return bytes;
    }

    /** {@code in}, failing once more than {@code max} bytes were read. */
    static InputStream limit(InputStream in, long max, String what) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > max) {
                    throw new IOException(what + " is larger than " + max + " bytes");
                }
            }
        };
    }
}
