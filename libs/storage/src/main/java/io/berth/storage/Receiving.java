package io.berth.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * {@link BlobStore#receive}'s default: the source's stream, shown to the observer piece by piece
 * as {@link BlobStore#put} reads it, so the bytes are hashed on the way without a second pass.
 */
final class Receiving {

    private Receiving() {
    }

    static long receive(BlobStore store, ObjectId id, ByteSource body, long length, Consumer<ByteBuffer> observer)
            throws IOException {
        var observed = new Observed(body.stream(), observer);
        try {
            store.put(id, observed, length);
        } catch (UncheckedIOException e) {
            if (observed.ended) {
                // It ended cleanly, short of the length: not a failure of the body, a wrong size.
                store.delete(id);
                return observed.count;
            }
            throw e.getCause();
        }
        // put read exactly length bytes; anything after them makes it the wrong size.
        long extra = observed.in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            store.delete(id);
            return length + extra;
        }
        return length;
    }

    /** Shows each read to the observer, counts, and notes a clean end of the stream. */
    private static final class Observed extends FilterInputStream {
        private final Consumer<ByteBuffer> observer;
        final InputStream in;
        long count;
        boolean ended;

        Observed(InputStream in, Consumer<ByteBuffer> observer) {
            super(in);
            this.in = in;
            this.observer = observer;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                ended = true;
            } else if (n > 0) {
                count += n;
                observer.accept(ByteBuffer.wrap(b, off, n).asReadOnlyBuffer());
            }
            return n;
        }

        @Override
        public long skip(long n) {
            // Every byte must reach the observer: nothing is skipped.
            return 0;
        }
    }
}
