package io.berth.storage.http;

import io.berth.storage.ByteSink;
import io.berth.storage.ByteSource;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * The narrow adapter between a Vert.x HTTP exchange and the {@link io.berth.storage.BlobStore}
 * contract: a resource turns its request into a {@link ByteSource} and its response into a
 * {@link ByteSink} here, and hands those to the store. Nothing else of Vert.x reaches the store's
 * callers, and the S3 store recognises these two to take its fast paths (ADR 0023).
 */
public final class HttpBodies {

    private HttpBodies() {
    }

    /**
     * The body of {@code request}, which must still be paused (Quarkus REST pauses every request
     * until its resource method runs). Nothing flows before it is read or received.
     *
     * @param idleTimeout how long the body may go without a byte before reading it fails
     */
    public static ByteSource source(HttpServerRequest request, Duration idleTimeout) {
        return new RequestSource(request, idleTimeout);
    }

    /**
     * {@code response} as a sink. Call on the request's thread (event loop or a worker of its
     * context), after its status and headers are set.
     *
     * @throws IllegalStateException if the calling thread has no Vert.x context
     */
    public static ByteSink sink(HttpServerResponse response) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("no Vert.x context for this response");
        }
        return new ResponseSink(response, context);
    }
}
