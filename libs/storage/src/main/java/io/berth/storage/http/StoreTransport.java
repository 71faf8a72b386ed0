package io.berth.registry.api;

import io.berth.relay.DirectRelay;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP clients that move blob bytes between clients and the object store on the event loop:
 * blob GETs are piped from presigned GET URLs ({@link BlobBodyWriter}), by {@link DirectRelay} when
 * the store speaks plain HTTP and by Vert.x's client when it speaks TLS; whole upload bodies go to
 * presigned PUT URLs by Vert.x's client ({@link StoreUpload}). Everything else goes through the
 * storage SDK in libs/storage.
 *
 * <p>One client per event loop, as in the gateway (ADR 0016): a client's connections live on the
 * loop that opened them, so a transfer's bytes go from one socket to the other on one thread. A
 * single client shared by the loops handed each chunk of a pull from the store connection's
 * thread to the client connection's, which halved large pulls on two cores (docs/benchmarks.md).
 */
@ApplicationScoped
public class StoreHttpClient {

    /** The largest piece of a store's answer handed on at once (see the options below). */
    static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final Vertx vertx;
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

    public StoreHttpClient(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The client of the calling event loop (made on first use); call it on the loop that will use it. */
    HttpClient client() {
        Thread loop = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
        if (loop == null) {
            throw new IllegalStateException("the store's HTTP client is used from its event loop only");
        }
        return clients.computeIfAbsent(loop, t -> vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(64)));
    }

    /** Blob GETs from plain-HTTP stores, without Vert.x's copies (libs/relay). */
    DirectRelay relay() {
        return relay;
    }

    @PreDestroy
    void close() {
        relay.close();
        clients.values().forEach(HttpClient::close);
    }
}
