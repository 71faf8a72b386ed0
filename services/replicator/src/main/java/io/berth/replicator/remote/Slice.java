package io.berth.replicator.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * The next {@code length} bytes of a stream, for one chunk of an upload; closing it leaves the
 * stream open for the next chunk. A stream that ends early is an error (the remote would store a
 * short blob under a wrong size).
 */
final class Slice extends InputStream {

    private final InputStream in;
    private long remaining;

    Slice(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("the blob's source ended " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() {
        // the next chunk reads on
    }
}
