package io.berth.storage;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream, cut at exactly {@code length} bytes. It remembers why it failed, so that a
 * client that hung up mid-push is reported as the caller's I/O error, not as a broken object store,
 * even after the SDK has wrapped the failure in its own exception.
 */
final class ExactLengthStream extends FilterInputStream {

    private long remaining;
    private IOException failure;

    ExactLengthStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    /** Why reading the caller's stream failed (including ending early), or null if it did not. */
    IOException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        if (n < 0) {
            failure = new EOFException("stream ended " + remaining + " bytes before its announced length");
            throw failure;
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would bypass the accounting; nothing in the write path needs it.
        return 0;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), remaining);
    }

    @Override
    public void close() {
        // The caller opened the stream and closes it; the SDK closing it would cut a request body short.
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
