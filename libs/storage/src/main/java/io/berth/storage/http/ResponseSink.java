package io.berth.storage.http;

import io.berth.relay.DirectRelay;
import io.berth.storage.ByteSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A client's response as a {@link ByteSink}. Its status and headers (Content-Length among them)
 * must be set before the first write, which sends them. Every call hops to the response's event
 * loop; a write's stage completes at once while the response's queue has room and when it drains
 * otherwise, and fails when the client leaves. Never more or fewer bytes than the Content-Length
 * announced go out: a sink ended short, or written past it, resets the connection.
 *
 * <p>The S3 store does not write here piece by piece: it recognises this sink and relays the
 * object's bytes into {@link #response} itself ({@link StoreTransport#send}).
 */
final class ResponseSink implements ByteSink {

    private final HttpServerResponse response;
    private final Context context;
    private long written;
    private boolean started;
    private CompletableFuture<Void> waiting;

    ResponseSink(HttpServerResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    HttpServerResponse response() {
        return response;
    }

    Context context() {
        return context;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer piece) {
        var ready = new CompletableFuture<Void>();
        context.runOnContext(v -> {
            if (response.closed()) {
                ready.completeExceptionally(new IOException("the client closed the connection"));
                return;
            }
            start();
            int size = piece.remaining();
            long announced = announced();
            if (announced >= 0 && written + size > announced) {
                IOException over = new IOException("more than the " + announced + " bytes announced");
                abort(over);
                ready.completeExceptionally(over);
                return;
            }
            written += size;
            response.write(buffer(piece));
            if (response.writeQueueFull()) {
                waiting = ready;
            } else {
                ready.complete(null);
            }
        });
        return ready;
    }

    /** Once, on the first write: back-pressure and a client that leaves fail the waiting write. */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        response.setWriteQueueMaxSize(DirectRelay.WRITE_QUEUE_BYTES);
        response.drainHandler(v -> release(null));
        response.closeHandler(v -> release(new IOException("the client closed the connection")));
    }

    private void release(Throwable failure) {
        CompletableFuture<Void> w = waiting;
        waiting = null;
        if (w != null) {
            if (failure == null) {
                w.complete(null);
            } else {
                w.completeExceptionally(failure);
            }
        }
    }

    @Override
    public CompletionStage<Void> end() {
        var ended = new CompletableFuture<Void>();
        context.runOnContext(v -> {
            long announced = announced();
            if (announced >= 0 && written != announced) {
                IOException shortBody = new IOException("the body ended after " + written + " of " + announced + " bytes");
                abort(shortBody);
                ended.completeExceptionally(shortBody);
                return;
            }
            response.end().onComplete(done -> {
                if (done.succeeded()) {
                    ended.complete(null);
                } else {
                    ended.completeExceptionally(done.cause());
                }
            });
        });
        return ended;
    }

    @Override
    public void abort(Throwable cause) {
        context.runOnContext(v -> {
            if (!response.closed()) {
                response.reset();
            }
        });
    }

    @Override
    public Optional<CompletionStage<Void>> sendFile(Path file, long offset, long length) {
        var sent = new CompletableFuture<Void>();
        context.runOnContext(v -> response.sendFile(file.toString(), offset, length).onComplete(done -> {
            if (done.succeeded()) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(done.cause());
            }
        }));
        return Optional.of(sent);
    }

    private long announced() {
        String length = response.headers().get(HttpHeaders.CONTENT_LENGTH);
        return length == null ? -1 : Long.parseLong(length);
    }

    /** The piece as Vert.x's buffer: the array itself when the piece is all of it, else a copy. */
    private static Buffer buffer(ByteBuffer piece) {
        if (piece.hasArray() && piece.arrayOffset() == 0 && piece.position() == 0
                && piece.remaining() == piece.array().length) {
            return Buffer.buffer(piece.array());
        }
        if (piece.hasArray()) {
            int from = piece.arrayOffset() + piece.position();
            return Buffer.buffer(Arrays.copyOfRange(piece.array(), from, from + piece.remaining()));
        }
        byte[] copy = new byte[piece.remaining()];
        piece.get(copy);
        return Buffer.buffer(copy);
    }
}
