package io.berth.scanner.vulndb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as an import reads it: counts bytes and refuses more than the configured
 * maximum ({@link VulnDbException.Reason#TOO_LARGE}), and keeps the last {@value #TAIL} bytes so
 * that {@link OsvImporter} can check a zip's end-of-central-directory record after streaming it.
 */
final class BoundedInput extends FilterInputStream {

    /** The end-of-central-directory record and its comment fit in 64 KiB + 22 bytes; zip64's locator adds 20+56. */
    static final int TAIL = 65536 + 22 + 20 + 56;

    private final long max;
    private final String bound;
    private final byte[] tail = new byte[TAIL];
    private long count;

    /** {@code bound} names what is over the maximum and its key, for the refusal. */
    BoundedInput(InputStream in, long max, String bound) {
        super(in);
        this.max = max;
        this.bound = bound;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            remember(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            remember(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void remember(byte[] b, int off, int n) {
        count += n;
        if (count > max) {
            throw new VulnDbException(VulnDbException.Reason.TOO_LARGE, bound + " is larger than " + max + " bytes");
        }
        for (int k = 0; k < n; k++) {
            tail[(int) ((count - n + k) % TAIL)] = b[off + k];
        }
    }

    /** Reads what is left of the body (kept in the tail, counted, never stored). */
    void drain() throws IOException {
        byte[] buffer = new byte[8192];
        while (read(buffer, 0, buffer.length) >= 0) {
            // counted and remembered
        }
    }

    long count() {
        return count;
    }

    /** The last min(count, TAIL) bytes read, in order. */
    byte[] tail() {
        int n = (int) Math.min(count, TAIL);
        byte[] out = new byte[n];
        for (int k = 0; k < n; k++) {
            out[k] = tail[(int) ((count - n + k) % TAIL)];
        }
        return out;
    }
}
