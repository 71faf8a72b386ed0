package io.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link BlobStore#send}'s default: reads the blob through {@link BlobStore#open} in
 * {@link #PIECE_BYTES} pieces on a bounded pool of named threads and hands each to the sink,
 * reading the next only when the sink wants it. While a slow sink drains, no thread waits for it:
 * the next read is scheduled when the sink's stage completes.
 */
final class SendLoop {

    /** The largest piece handed on: the size the S3 path reads too (ADR 0012). */
    static final int PIECE_BYTES = 256 * 1024;

    /**
     * Threads that read blobs for sinks. Bounded: past this many concurrent reads, transfers wait
     * in the queue rather than adding threads; a read blocks only on the store, never on a client.
     */
    static final int THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    private static final ThreadPoolExecutor READERS;

    static {
        AtomicInteger count = new AtomicInteger();
        READERS = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "berth-blob-send-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        READERS.allowCoreThreadTimeOut(true);
    }

    private final BlobStore store;
    private final ObjectId id;
    private final long offset;
    private final long length;
    private final ByteSink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private InputStream in;
    private long sent;

    private SendLoop(BlobStore store, ObjectId id, long offset, long length, ByteSink sink) {
        this.store = store;
        this.id = id;
        this.offset = offset;
        this.length = length;
        this.sink = sink;
    }

    static CompletionStage<Void> start(BlobStore store, ObjectId id, long offset, long length, ByteSink sink) {
        var loop = new SendLoop(store, id, offset, length, sink);
        READERS.execute(loop::open);
        return loop.done;
    }

    private void open() {
        try {
            in = store.open(id, offset, length);
        } catch (RuntimeException e) {
            // Nothing was written: the caller may still answer with an error of its own.
            done.completeExceptionally(e);
            return;
        }
        next();
    }

    /** Reads and writes pieces while the sink takes them at once; otherwise continues when it asks. */
    private void next() {
        try {
            while (true) {
                byte[] piece = new byte[PIECE_BYTES];
                int n = in.readNBytes(piece, 0, piece.length);
                if (n == 0) {
                    finish();
                    return;
                }
                sent += n;
                CompletableFuture<Void> ready = sink.write(ByteBuffer.wrap(piece, 0, n)).toCompletableFuture();
                if (!ready.isDone()) {
                    ready.whenComplete((v, failure) -> {
                        if (failure != null) {
                            fail(failure);
                        } else {
                            READERS.execute(this::next);
                        }
                    });
                    return;
                }
                ready.join();
            }
        } catch (IOException | RuntimeException e) {
            fail(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e);
        }
    }

    private void finish() throws IOException {
        in.close();
        if (length > 0 && sent != length) {
            fail(new IOException("blob " + id + " ended after " + sent + " of " + length + " bytes"));
            return;
        }
        sink.end().whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        });
    }

    private void fail(Throwable cause) {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
        sink.abort(cause);
        done.completeExceptionally(cause);
    }
}
