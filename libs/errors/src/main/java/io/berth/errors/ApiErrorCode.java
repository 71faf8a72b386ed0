package io.berth.errors;

import java.util.Optional;

/**
 * The error codes of the management API ({@code /api/v1}) and of every answer berth gives
 * outside {@code /v2} ({@code /service/token}, unknown paths): one set for auth, registry-api,
 * the gateway and the services still to come, written as
 * {@code {"errors":[{"code":"NOT_FOUND","message":"..."}]}}.
 *
 * <p>The spelling is UPPER_SNAKE, the HTTP reason phrase of the status (Harbor's codes are
 * the same words). {@code /v2} keeps the distribution-spec's own codes
 * ({@link io.berth.oci.RegistryErrorCode}), which clients parse; the two sets meet only in
 * {@link Surface}, which picks one by path. Each code carries the one status it is answered
 * with; code that answers only picks a code.
 */
public enum ApiErrorCode {
    BAD_REQUEST(400, "the request is not valid"),
    UNAUTHORIZED(401, "authentication required"),
    FORBIDDEN(403, "access denied"),
    NOT_FOUND(404, "not found"),
    METHOD_NOT_ALLOWED(405, "the method is not allowed on this path"),
    NOT_ACCEPTABLE(406, "no representation matches the Accept header"),
    CONFLICT(409, "the request conflicts with the current state"),
    PRECONDITION_FAILED(412, "a precondition of the request does not hold"),
    PAYLOAD_TOO_LARGE(413, "the request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "the request body's media type is not accepted here"),
    TOO_MANY_REQUESTS(429, "too many requests"),
    /** A failure berth did not expect: logged once with the trace id, which the body carries. */
    UNKNOWN(500, "unexpected failure"),
    /**
     * A dependency is down (PostgreSQL, Keycloak, an upstream instance) or berth is read-only:
     * always answered with {@code Retry-After}.
     */
    UNAVAILABLE(503, "service unavailable; try again shortly");

    private final int status;
    private final String message;

    ApiErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The wire string of the {@code code} field, e.g. {@code NOT_FOUND}. */
    public String code() {
        return name();
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** The default {@code message}, for answers that have nothing more precise to say. */
    public String message() {
        return message;
    }

    /** The code whose status is {@code status}; empty for a status that has none of its own. */
    public static Optional<ApiErrorCode> ofStatus(int status) {
        for (ApiErrorCode c : values()) {
            if (c.status == status) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The code to write for an answer with {@code status} that no code was picked for (a status
     * the HTTP layer chose, such as 408 or 431): its own code, else BAD_REQUEST for a client's
     * error and UNKNOWN for a server's. The status itself is kept.
     */
    public static ApiErrorCode forStatus(int status) {
        return ofStatus(status).orElse(status >= 500 ? UNKNOWN : BAD_REQUEST);
    }

    /** Looks a wire code up; empty (never an exception) for null or an unknown code. */
    public static Optional<ApiErrorCode> fromCode(String code) {
        for (ApiErrorCode c : values()) {
            if (c.name().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
