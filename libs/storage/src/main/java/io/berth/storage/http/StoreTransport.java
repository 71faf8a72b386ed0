package io.berth.storage.http;

import io.berth.relay.DirectRelay;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.ByteSink;
import io.berth.storage.ByteSource;
import io.berth.storage.ObjectId;
import io.berth.storage.StorageUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The S3 store's HTTP transport on Vert.x's event loops: whole upload bodies piped to presigned
 * PUT URLs ({@link StoreUpload}), blob GETs piped from presigned GET URLs into client responses,
 * by {@link DirectRelay} when the store speaks plain HTTP and by Vert.x's client when it speaks
 * TLS (or always, with {@code berth.storage.direct-relay=false}). Only sources and sinks made by
 * {@link HttpBodies} can take these paths; the store falls back to its SDK for every other.
 * No URL leaves the store through here: {@code S3BlobStore} signs them and hands them in.
 *
 * <p>One client per event loop, as in the gateway (ADR 0016): a client's connections live on the
 * loop that opened them, so a transfer's bytes go from one socket to the other on one thread. A
 * single client shared by the loops handed each chunk of a pull from the store connection's
 * thread to the client connection's, which halved large pulls on two cores (docs/benchmarks.md).
 */
public final class StoreTransport implements AutoCloseable {

    /** The largest piece of a store's answer handed on at once (ADR 0012). */
    static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final Vertx vertx;
    private final boolean directRelay;
    private final HttpClientOptions options = new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout(2_000)
            // An idle timeout, not a total one: big blobs to slow clients take long.
            .setIdleTimeout(5).setIdleTimeoutUnit(TimeUnit.MINUTES)
            .setDecompressionSupported(false)
            // Netty's HTTP decoder cuts a body into pieces of at most this, and the pipe sends
            // each piece to the client with a syscall of its own. At the default 8 KiB a pull
            // made eight sends per read from the store (bench/pull-wakeups.sh, strace -c).
            .setMaxChunkSize(MAX_CHUNK_BYTES);
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    /** The same pieces and timeouts as the Vert.x client's options above. */
    private final DirectRelay relay = new DirectRelay(MAX_CHUNK_BYTES, options.getConnectTimeout(),
            options.getIdleTimeoutUnit().toSeconds(options.getIdleTimeout()));

    /**
     * @param directRelay whether GETs from a plain-HTTP store go through {@link DirectRelay}
     */
    public StoreTransport(Vertx vertx, boolean directRelay) {
        this.vertx = vertx;
        this.directRelay = directRelay;
    }

    /** Whether {@link #receive} can take {@code body}: one of {@link HttpBodies}'s, untouched. */
    public boolean canReceive(ByteSource body) {
        return body instanceof RequestSource request && request.unused();
    }

    /**
     * Pipes {@code body} to a presigned PUT of {@code target}, hashed on the way; blocks until the
     * store answered. Outcomes as {@link io.berth.storage.BlobStore#receive}.
     *
     * @throws IllegalArgumentException if {@link #canReceive} says no
     */
    public long receive(ByteSource body, URI target, long length, Consumer<ByteBuffer> observer) throws IOException {
        if (!(body instanceof RequestSource request)) {
            throw new IllegalArgumentException("not an HTTP request body: " + body);
        }
        return request.pipe(this, target, length, observer);
    }

    /** Whether {@link #send} can take {@code sink}: a client response made by {@link HttpBodies}. */
    public boolean canSend(ByteSink sink) {
        return sink instanceof ResponseSink;
    }

    /**
     * Pipes bytes {@code [offset, offset+length)} (-1: to the end) of the presigned GET
     * {@code source} of blob {@code id} into the sink's response, on its event loop, with
     * back-pressure: the store is read only as fast as the client reads. Outcomes as
     * {@link io.berth.storage.BlobStore#send}: a store answer of 404 is
     * {@link BlobNotFoundException}, 416 an {@link IllegalArgumentException}, any other
     * {@link StorageUnavailableException}, all with nothing written.
     */
    public CompletionStage<Void> send(URI source, long offset, long length, ByteSink sink, ObjectId id) {
        if (!(sink instanceof ResponseSink target)) {
            throw new IllegalArgumentException("not an HTTP response: " + sink);
        }
        HttpServerResponse response = target.response();
        String range = offset == 0 && length < 0 ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1));
        List<Map.Entry<String, String>> headers = range == null ? List.of() : List.of(Map.entry("Range", range));
        var done = new CompletableFuture<Void>();
        // Started on the response's event loop, so each step's callback runs as soon as its
        // future completes there: the pipe takes hold of the store's answer before its body is
        // read. (From a worker thread the callbacks would be queued, and a small body could end
        // unseen in between.)
        target.context().runOnContext(started -> {
            Future<Void> sent;
            try {
                if (directRelay && DirectRelay.supports(source.getScheme())) {
                    sent = relay.relay(DirectRelay.Request.get(source, headers), response, head -> {
                        int status = head.status();
                        return status == 200 || status == 206 ? null : new StoreAnswered(status);
                    });
                } else {
                    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(source.toString());
                    if (range != null) {
                        get.putHeader("Range", range);
                    }
                    sent = client().request(get).compose(HttpClientRequest::send).compose(answer -> pipe(answer, response));
                }
            } catch (RuntimeException e) {
                // Failed below like any other failure, never left hanging.
                sent = Future.failedFuture(e);
            }
            sent.onComplete(result -> {
                if (result.succeeded()) {
                    done.complete(null);
                } else if (response.headWritten() || response.closed()) {
                    target.abort(result.cause());
                    done.completeExceptionally(result.cause());
                } else {
                    done.completeExceptionally(translate(result.cause(), id));
                }
            });
        });
        return done;
    }

    private static RuntimeException translate(Throwable cause, ObjectId id) {
        if (cause instanceof StoreAnswered answered) {
            return switch (answered.status) {
                case 404 -> new BlobNotFoundException(id, "the object store has no object for blob " + id);
                case 416 -> new IllegalArgumentException("the range is outside blob " + id);
                default -> new StorageUnavailableException("reading blob " + id + ": object store answered " + answered.status);
            };
        }
        return new StorageUnavailableException("reading blob " + id + " from the object store failed: " + cause, cause);
    }

    /** Vert.x's client to the store: for stores that speak TLS, or all when direct-relay is off. */
    private static Future<Void> pipe(HttpClientResponse source, HttpServerResponse response) {
        int status = source.statusCode();
        if (status != 200 && status != 206) {
            // Drain the error body so the pooled connection can be reused.
            return source.body().compose(ignored -> Future.failedFuture(new StoreAnswered(status)));
        }
        response.closeHandler(v -> source.request().reset());
        response.setWriteQueueMaxSize(DirectRelay.WRITE_QUEUE_BYTES);
        return source.pipeTo(response);
    }

    /** The client of the calling event loop (made on first use); call it on the loop that will use it. */
    HttpClient client() {
        Thread loop = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
        if (loop == null) {
            throw new IllegalStateException("the store's HTTP client is used from its event loop only");
        }
        return clients.computeIfAbsent(loop, t -> vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(64)));
    }

    /** How many GETs went through {@link DirectRelay} (for tests that check the path taken). */
    public long relayedTransfers() {
        return relay.transfers();
    }

    @Override
    public void close() {
        relay.close();
        clients.values().forEach(HttpClient::close);
    }

    /** The store answered something other than the bytes. */
    private static final class StoreAnswered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StoreAnswered(int status) {
            super("object store answered " + status, null, false, false);
            this.status = status;
        }
    }
}
