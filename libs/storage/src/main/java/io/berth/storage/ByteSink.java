package io.berth.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a blob's bytes go when {@link BlobStore#send} streams them: a client's HTTP response (made
 * by {@code io.berth.storage.http.HttpBodies#sink}), a replicator's upload to a remote registry, a
 * test's buffer. No transport type appears here, so a {@link BlobStore} never learns what is on
 * the other side, and a backend may still recognise a sink it knows a faster way into (S3 relays
 * an object's bytes into a Vert.x response at Netty's level; see ADR 0023).
 *
 * <p>Back-pressure: {@link #write} answers a stage that completes when the sink wants the next
 * piece. A producer never has more than one piece outstanding beyond what the sink has accepted.
 * Calls come from one thread at a time, in order; the sink may be called from any thread.
 */
public interface ByteSink {

    /**
     * Takes the next piece. The buffer belongs to the sink from now on: the producer neither
     * reads nor reuses it.
     *
     * @return completes when the sink can take another piece; fails (an IOException) if the sink
     *     broke, e.g. the client hung up, after which nothing more is written
     */
    CompletionStage<Void> write(ByteBuffer piece);

    /** Every byte was written: completes once the sink has taken them, fails if it broke. */
    CompletionStage<Void> end();

    /**
     * The transfer broke after it began: the sink must not look complete (an HTTP response is
     * reset, so the client sees a short body, never a wrong one). Idempotent.
     */
    void abort(Throwable cause);

    /**
     * Sends bytes {@code [offset, offset+length)} of a local file as the rest of the body and ends
     * the sink, without copying them through the heap where the sink can (an HTTP response uses
     * the kernel's sendfile): the hook a filesystem backend's {@link BlobStore#send} may try first.
     *
     * @return empty if this sink has no such path (then write the bytes); otherwise the stage that
     *     ends as {@link #end} would
     */
    default Optional<CompletionStage<Void>> sendFile(Path file, long offset, long length) {
        return Optional.empty();
    }

    /**
     * A sink over a blocking stream, written on the producer's thread (each write completes before
     * it returns): for tests and for consumers that read on a worker thread anyway. The stream is
     * flushed by {@link #end} and closed by neither it nor {@link #abort}.
     */
    static ByteSink of(OutputStream out) {
        return new ByteSink() {
            @Override
            public CompletionStage<Void> write(ByteBuffer piece) {
                try {
                    if (piece.hasArray()) {
                        out.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
                    } else {
                        byte[] copy = new byte[piece.remaining()];
                        piece.get(copy);
                        out.write(copy);
                    }
                    return CompletableFuture.completedFuture(null);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public CompletionStage<Void> end() {
                try {
                    out.flush();
                    return CompletableFuture.completedFuture(null);
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(new UncheckedIOException(e));
                }
            }

            @Override
            public void abort(Throwable cause) {
                // A plain stream cannot be marked broken; the failed stage tells the producer's caller.
            }
        };
    }
}
