package io.berth.storage.http;

import io.berth.relay.DirectRelay;
import io.berth.storage.StorageUnavailableException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Pipes one request body into a PUT to the object store, on the request's event loop: each
 * buffer the client sends goes to an observer (the running digest) and then, as it is, to the
 * store's connection. When the store's write queue is full the client is paused, and resumed when
 * it drains; no worker thread and no buffer of berth's sits between the two connections.
 *
 * <p>Every outcome ends the future exactly once: the byte count when the body ended and the store
 * answered 200 (or when the body ended cleanly at another length, after which the store's request
 * is reset so it keeps nothing); an IOException when the body failed or went silent for the idle
 * timeout; a {@link StorageUnavailableException} when the store failed or refused. After a store
 * failure the rest of the body is discarded as it arrives and the connection closes after the
 * answer.
 */
final class StoreUpload {

    private final HttpServerRequest request;
    private final Context context;
    private final long length;
    private final Consumer<ByteBuffer> observer;
    private final long idleTimeoutNanos;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private HttpClientRequest put;
    private long received;
    private boolean over;
    private boolean bodyEnded;
    private boolean paused;
    private long lastProgress;
    private long timer = -1;

    private StoreUpload(HttpServerRequest request, Context context, long length, Consumer<ByteBuffer> observer,
            Duration idleTimeout) {
        this.request = request;
        this.context = context;
        this.length = length;
        this.observer = observer;
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** Starts the transfer on {@code context} (the request's event loop); the future says how it ended. */
    static CompletableFuture<Long> start(StoreTransport client, Context context, HttpServerRequest request, URI target,
            long length, Consumer<ByteBuffer> observer, Duration idleTimeout) {
        var upload = new StoreUpload(request, context, length, observer, idleTimeout);
        context.runOnContext(v -> upload.begin(client, target));
        return upload.done;
    }

    private void begin(StoreTransport store, URI target) {
        if (request.isEnded()) {
            bodyFailed(new IOException("the request body was already consumed"));
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(target.toString())
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        store.client().request(options).onComplete(opened -> {
            if (opened.failed()) {
                storeFailed(opened.cause());
                return;
            }
            put = opened.result();
            put.setWriteQueueMaxSize(DirectRelay.WRITE_QUEUE_BYTES);
            put.exceptionHandler(this::storeFailed);
            put.response().onComplete(this::answered);
            request.handler(this::data);
            request.endHandler(v -> ended());
            request.exceptionHandler(this::bodyFailed);
            RequestBodyStream.sendContinueIfExpected(request);
            lastProgress = System.nanoTime();
            long every = Math.max(10, Math.min(1000, Duration.ofNanos(idleTimeoutNanos).toMillis() / 4));
            timer = context.owner().setPeriodic(every, id -> checkIdle());
            request.resume();
        });
    }

    private void data(Buffer data) {
        if (over) {
            return; // the transfer has failed; the rest of the body is discarded
        }
        received += data.length();
        if (received > length) {
            // More than announced (only possible without Content-Length framing): count the rest.
            over = true;
            put.reset();
            request.handler(more -> received += more.length());
            request.endHandler(v -> done.complete(received));
            finish();
            return;
        }
        for (ByteBuffer piece : data.getByteBuf().nioBuffers()) {
            observer.accept(piece);
        }
        put.write(data);
        lastProgress = System.nanoTime();
        if (put.writeQueueFull()) {
            paused = true;
            request.pause();
            put.drainHandler(v -> {
                paused = false;
                lastProgress = System.nanoTime();
                request.resume();
            });
        }
    }

    private void ended() {
        if (over) {
            return;
        }
        bodyEnded = true;
        cancelTimer();
        if (received == length) {
            put.end();
        } else {
            over = true;
            put.reset();
            done.complete(received);
        }
    }

    private void answered(AsyncResult<HttpClientResponse> answer) {
        if (answer.failed()) {
            storeFailed(answer.cause());
            return;
        }
        HttpClientResponse response = answer.result();
        response.body().onComplete(body -> {
            if (over) {
                return;
            }
            if (response.statusCode() == 200 && bodyEnded && body.succeeded()) {
                over = true;
                done.complete(received);
            } else {
                String text = body.succeeded() ? body.result().toString() : "";
                storeFailed(new StorageUnavailableException("writing a blob: object store answered "
                        + response.statusCode() + " " + text.substring(0, Math.min(300, text.length()))));
            }
        });
    }

    private void bodyFailed(Throwable cause) {
        if (over) {
            return;
        }
        over = true;
        if (put != null) {
            put.reset();
        }
        finish();
        done.completeExceptionally(cause instanceof IOException io ? io
                : new IOException("the request body failed: " + cause.getMessage(), cause));
    }

    private void storeFailed(Throwable cause) {
        if (over) {
            return;
        }
        over = true;
        if (put != null) {
            put.reset();
        }
        if (!bodyEnded) {
            // The client is still sending: let it send into nothing, and hang up after the answer.
            closeAfterAnswer();
        }
        finish();
        done.completeExceptionally(cause instanceof StorageUnavailableException s ? s
                : new StorageUnavailableException("writing a blob to the object store failed: " + cause, cause));
    }

    private void checkIdle() {
        if (over || bodyEnded || paused) {
            return;
        }
        if (System.nanoTime() - lastProgress > idleTimeoutNanos) {
            // The rest of this body will never be read: the connection ends with the answer.
            closeAfterAnswer();
            bodyFailed(new IOException("no bytes arrived for " + Duration.ofNanos(idleTimeoutNanos).toMillis() + " ms"));
        }
    }

    private void closeAfterAnswer() {
        request.response().putHeader("Connection", "close")
                .bodyEndHandler(sent -> request.connection().close());
    }

    /** Stops watching for silence; a body still arriving flows on (into {@link #data}, which drops it). */
    private void finish() {
        cancelTimer();
        if (!bodyEnded) {
            paused = false;
            request.resume();
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
    }
}
