package io.berth.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * How any failure becomes a {@link WireError}: the one decision every service (through
 * {@link io.berth.errors.http.WireExceptionMappers} and {@link io.berth.errors.http.WireErrorRoutes})
 * and the gateway make the same way.
 *
 * <ul>
 *   <li>A {@link RegistryException} or {@link ApiException} is a refusal a handler chose: its
 *       code, status and message, on the surface of the path (a RegistryException on
 *       {@code /api/v1} keeps its status and gets the API code for it).
 *   <li>JAX-RS's own refusals (no such path 404, wrong method 405 with {@code Allow}, wrong
 *       media type 415, a body that is not the JSON the endpoint takes 400) keep their status.
 *   <li>An outage ({@link Outages#isOutage}) is 503 UNAVAILABLE with {@code Retry-After},
 *       logged once as a warning with the trace id.
 *   <li>Anything else is 500 UNKNOWN, logged once with its stack trace and the trace id; the
 *       body carries the trace id and never the exception's message.
 * </ul>
 */
public final class WireErrors {

    private static final Logger LOG = Logger.getLogger(WireErrors.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private WireErrors() {}

    /** A {@code /v2} error with the code's status and message. */
    public static WireError oci(RegistryErrorCode code, Object detail) {
        return oci(code.status(), code, code.message(), detail);
    }

    /** A {@code /v2} error with another status than the code's (413 for an oversized manifest). */
    public static WireError oci(int status, RegistryErrorCode code, String message, Object detail) {
        return new WireError(status, OciErrorBody.of(code, message, detail), Map.of());
    }

    /** A non-{@code /v2} error with the code's status. */
    public static WireError api(ApiErrorCode code, String message) {
        return new WireError(code.status(), ApiErrorBody.of(code, message), Map.of());
    }

    /** A refusal a handler chose, with its {@code Retry-After} and challenge. */
    public static WireError of(ApiException e) {
        WireError answer = api(e.code(), e.getMessage()).retryAfter(e.retryAfterSeconds());
        return e.challenge() == null ? answer : answer.with(HttpHeaders.WWW_AUTHENTICATE, e.challenge());
    }

    /** A registry refusal on {@code surface}, with its {@code Retry-After}. */
    public static WireError of(RegistryException e, Surface surface) {
        WireError answer = surface == Surface.REGISTRY
                ? oci(e.status(), e.code(), e.clientMessage(), e.detail())
                : new WireError(e.status(), ApiErrorBody.of(ApiErrorCode.forStatus(e.status()).code(),
                        e.clientMessage(), null), Map.of());
        return answer.retryAfter(e.retryAfterSeconds());
    }

    /**
     * An answer with {@code status} that no code was picked for, on {@code surface}:
     * {@link Surface#codeFor} decides the code; 5xx bodies carry {@code traceId}.
     */
    public static WireError forStatus(Surface surface, int status, String message, String traceId) {
        String id = status >= 500 ? traceId : null;
        if (surface == Surface.REGISTRY) {
            return oci(status, Surface.ociCodeFor(status), message, id == null ? null : Map.of("traceId", id));
        }
        return new WireError(status, ApiErrorBody.of(surface.codeFor(status), message, id), Map.of());
    }

    /** 503 UNAVAILABLE for an outage, with {@code Retry-After} and the trace id. */
    public static WireError outage(Surface surface, String traceId) {
        return forStatus(surface, 503, "a service berth depends on is unavailable; try again shortly", traceId)
                .retryAfter(Outages.RETRY_AFTER_SECONDS);
    }

    /**
     * The answer to any failure on {@code path}, logged as described above. {@code traceparent} is
     * the request's header, for the trace id when no span is current.
     */
    public static WireError of(Throwable failure, String method, String path, String traceparent) {
        Surface surface = Surface.of(path);
        if (failure instanceof ApiException e) {
            return of(e);
        }
        if (failure instanceof RegistryException e && !(e.status() >= 500 && Outages.isOutage(e.getCause()))) {
            if (e.status() >= 500 && e.code() != RegistryErrorCode.UNAVAILABLE) {
                LOG.errorf(e, "%s %s failed (trace %s)", method, path, traceId(traceparent));
            }
            return of(e, surface);
        }
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            return httpError(e, surface);
        }
        if (failure instanceof JsonProcessingException json) {
            return forStatus(surface, 400, notTheJson(json), null);
        }
        String traceId = traceId(traceparent);
        if (failure instanceof WebApplicationException e && !Outages.isOutage(e)) {
            LOG.errorf(e, "%s %s failed with %d (trace %s)", method, path, e.getResponse().getStatus(), traceId);
            return forStatus(surface, e.getResponse().getStatus(), "the request failed; the trace id names it in berth's log",
                    traceId);
        }
        if (Outages.isOutage(failure)) {
            LOG.warnf("%s %s: a dependency is unavailable, answered 503 (trace %s): %s", method, path, traceId,
                    rootMessage(failure));
            LOG.debugf(failure, "the outage behind trace %s", traceId);
            return outage(surface, traceId);
        }
        LOG.errorf(failure, "%s %s failed unexpectedly (trace %s)", method, path, traceId);
        return forStatus(surface, 500, "unexpected failure; the trace id names it in berth's log", traceId);
    }

    /** JAX-RS's own 4xx: the status kept, the code for it, and a reason where one is known. */
    static WireError httpError(WebApplicationException e, Surface surface) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 400 -> badRequest(e);
            case 404 -> "no such path";
            case 405 -> "this path does not take the method";
            case 406 -> "no representation here matches the Accept header";
            case 415 -> "this path does not take a body of this media type";
            default -> e.getMessage() == null ? "the request is not valid here" : e.getMessage();
        };
        WireError answer = forStatus(surface, status, message, null);
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? answer : answer.with(HttpHeaders.ALLOW, allow);
    }

    /**
     * Why a request was refused with 400: a value the API refuses in a JSON body (a malformed
     * glob, an unknown severity) says why; a body of the wrong shape says what Jackson found.
     */
    private static String badRequest(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                return cause.getMessage();
            }
            if (cause instanceof JsonProcessingException json && !(json.getCause() instanceof IllegalArgumentException)) {
                return notTheJson(json);
            }
        }
        return "the request is not valid for this endpoint (is the body the JSON it takes?)";
    }

    private static String notTheJson(JsonProcessingException json) {
        if (json.getCause() instanceof IllegalArgumentException refused && refused.getMessage() != null) {
            return refused.getMessage();
        }
        return "the body is not the JSON this endpoint takes: " + json.getOriginalMessage();
    }

    /**
     * The id of the current trace: the current span's, else the trace id of a valid W3C
     * {@code traceparent} header, else a fresh random one (then it names only the log line).
     */
    public static String traceId(String traceparent) {
        var span = Span.current().getSpanContext();
        if (span.isValid()) {
            return span.getTraceId();
        }
        if (traceparent != null && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                && !traceparent.substring(3, 35).equals("0".repeat(32))) {
            return traceparent.substring(3, 35);
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int i = 0; i < 32 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
