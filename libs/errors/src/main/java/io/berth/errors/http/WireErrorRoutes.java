package io.berth.errors.http;

import io.berth.errors.Surface;
import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The answers no JAX-RS mapper sees, in the same vocabulary: a path no route serves (404 in the
 * body of its surface instead of Vert.x's plain "Resource not found"), and any failure of a
 * Vert.x route (a body over {@code quarkus.http.limits.max-body-size}, an exception in a route
 * handler such as the gateway's proxy) instead of Quarkus's HTML or JSON error page with its
 * "error id". Installed on the main router of every service that depends on this jar; the
 * management interface ({@code /q} on the gateway) keeps its own answers.
 */
@Singleton
public class WireErrorRoutes {

    /** Before every other route, so it is the first failure handler Vert.x tries. */
    static final int FAILURE_ORDER = -10_000;

    void install(@Observes Router router) {
        router.route().order(FAILURE_ORDER).failureHandler(WireErrorRoutes::failed);
        // Reached only when every other route passed the request on.
        router.route().last().handler(WireErrorRoutes::notFound);
    }

    static void notFound(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        write(ctx, WireErrors.forStatus(Surface.of(req.path()), 404, "no such path", null));
    }

    static void failed(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        Throwable failure = ctx.failure();
        WireError answer;
        if (failure == null || failure instanceof HttpException) {
            int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
            status = status < 400 ? 500 : status;
            String traceId = status >= 500 ? WireErrors.traceId(req.getHeader("traceparent")) : null;
            answer = WireErrors.forStatus(Surface.of(req.path()), status, reason(status), traceId);
        } else {
            answer = WireErrors.of(failure, req.method().name(), req.path(), req.getHeader("traceparent"));
        }
        write(ctx, answer);
    }

    private static String reason(int status) {
        return switch (status) {
            case 413 -> "the request body is over this service's limit";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> status >= 500 ? "the request failed; the trace id names it in berth's log" : "the request is not valid";
        };
    }

    static void write(RoutingContext ctx, WireError answer) {
        HttpServerResponse resp = ctx.response();
        if (resp.headWritten() || resp.closed()) {
            // Part of another answer is on the wire already: all that is left is to end it.
            if (!resp.closed()) {
                resp.reset();
            }
            return;
        }
        resp.setStatusCode(answer.status()).putHeader("Content-Type", "application/json");
        answer.headers().forEach(resp::putHeader);
        if (!ctx.request().isEnded()) {
            // A body left unread: the connection cannot carry another request after this.
            resp.putHeader("Connection", "close");
        }
        resp.end(answer.json());
    }
}
