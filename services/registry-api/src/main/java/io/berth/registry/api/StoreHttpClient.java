package io.berth.registry.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x HTTP client that moves blob bytes between clients and the object store on the
 * event loop: blob GETs are piped from presigned GET URLs ({@link BlobBodyWriter}), whole upload
 * bodies to presigned PUT URLs ({@link StoreUpload}). Everything else goes through the storage
 * SDK in libs/storage.
 */
@ApplicationScoped
public class StoreHttpClient {

    /**
     * Bytes queued for one connection before its source is paused. Netty's default 64 KiB mark
     * would pause the other side every few packets; this lets both stream, at a bounded cost per
     * transfer.
     */
    static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    private final HttpClient client;

    public StoreHttpClient(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(2_000)
                        // An idle timeout, not a total one: big blobs to slow clients take long.
                        .setIdleTimeout(5).setIdleTimeoutUnit(TimeUnit.MINUTES)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(64));
    }

    HttpClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
