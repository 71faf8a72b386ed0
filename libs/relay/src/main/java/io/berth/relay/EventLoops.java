package io.berth.relay;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;

/**
 * Which event loop a request lives on: the other Vert.x internal berth relies on, beside
 * {@link DirectRelay}'s. A request's handlers must be set, and its body piped, on its own
 * connection's loop; a worker thread that serves it only knows a context of Quarkus's choosing.
 * InternalsTest checks on the real Vert.x that the internal answer is the one taken.
 */
public final class EventLoops {

    private EventLoops() {
    }

    /**
     * The context of {@code request}'s connection; when Vert.x does not say (another
     * implementation of the request), the calling thread's context.
     *
     * @throws IllegalStateException if neither is known
     */
    public static Context of(HttpServerRequest request) {
        if (request instanceof HttpServerRequestInternal internal) {
            return internal.context();
        }
        Context current = Vertx.currentContext();
        if (current == null) {
            throw new IllegalStateException("no Vert.x context for this request");
        }
        return current;
    }

    /** Whether {@code context} runs on a Netty event loop this package can open connections on. */
    static boolean isNettyLoop(Context context) {
        return context instanceof ContextInternal internal && internal.nettyEventLoop() != null;
    }
}
