package io.berth.registry.api;

import io.berth.registry.service.UploadBody;
import io.berth.storage.StorageUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * An upload request's body for {@link io.berth.registry.service.UploadService}: a
 * {@link RequestBodyStream} when it is read, or a {@link StoreUpload} when it is sent to the
 * store whole. Closing it lets an unused or half-read body drain, so the connection stays usable.
 */
final class RequestBody implements UploadBody, AutoCloseable {

    private final HttpServerRequest request;
    private final StoreHttpClient client;
    private final Duration idleTimeout;
    private RequestBodyStream stream;
    private boolean sent;

    RequestBody(HttpServerRequest request, StoreHttpClient client, Duration idleTimeout) {
        this.request = request;
        this.client = client;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public InputStream stream() {
        if (sent) {
            throw new IllegalStateException("the body was already sent to the store");
        }
        if (stream == null) {
            stream = RequestBodyStream.of(request, idleTimeout);
        }
        return stream;
    }

    @Override
    public long sendTo(URI target, long length, Consumer<ByteBuffer> observer) throws IOException {
        if (sent || stream != null) {
            throw new IllegalStateException("the body was already used");
        }
        sent = true;
        var done = StoreUpload.start(client, eventLoop(), request, target, length, observer, idleTimeout);
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the body was sent to the store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof StorageUnavailableException s) {
                throw s;
            }
            throw new IllegalStateException("sending the body to the store failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        } else if (!sent) {
            RequestBodyStream.of(request, idleTimeout).close();
        }
    }

    /** The request's own event loop: the connection's handlers must be set and run there. */
    private Context eventLoop() {
        if (request instanceof HttpServerRequestInternal internal) {
            return internal.context();
        }
        Context current = Vertx.currentContext();
        if (current == null) {
            throw new IllegalStateException("no Vert.x context for this request");
        }
        return current;
    }
}
