package io.berth.storage.http;

import io.berth.relay.EventLoops;
import io.berth.storage.ByteSource;
import io.berth.storage.StorageUnavailableException;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * An upload request's body as a {@link ByteSource}: a {@link RequestBodyStream} when it is read,
 * or a {@link StoreUpload} when the S3 store receives it whole ({@link #pipe}). Closing it lets an
 * unused or half-read body drain, so the connection stays usable.
 */
final class RequestSource implements ByteSource {

    private final HttpServerRequest request;
    private final Duration idleTimeout;
    private RequestBodyStream stream;
    private boolean sent;

    RequestSource(HttpServerRequest request, Duration idleTimeout) {
        this.request = request;
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

    /** Whether the body is still untouched, so that it can be piped. */
    boolean unused() {
        return !sent && stream == null;
    }

    /**
     * Pipes the body, which must be exactly {@code length} bytes, as the body of a PUT to
     * {@code target}, on the request's event loop, handing every piece to {@code observer} before
     * it leaves. Blocks until the store has answered. Outcomes as {@link io.berth.storage.BlobStore#receive}.
     */
    long pipe(StoreTransport transport, URI target, long length, Consumer<ByteBuffer> observer) throws IOException {
        if (!unused()) {
            throw new IllegalStateException("the body was already used");
        }
        sent = true;
        var done = StoreUpload.start(transport, EventLoops.of(request), request, target, length, observer, idleTimeout);
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
}
