package io.berth.errors;

import java.util.Objects;

/**
 * A refusal on the management API ({@code /api/v1}) or another non-{@code /v2} path: an
 * {@link ApiErrorCode} (which fixes the status) and a message for people, written by the shared
 * mapper as {@code {"errors":[{"code","message"}]}}. TOO_MANY_REQUESTS and UNAVAILABLE carry the
 * seconds of their {@code Retry-After}; UNAUTHORIZED may carry the {@code WWW-Authenticate}
 * challenge to send with it.
 *
 * <p>These are expected outcomes of clients' requests (a 404 on a stale console page), so no
 * stack trace is filled in.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ApiErrorCode code;
    private final long retryAfterSeconds;
    private final String challenge;

    /** A refusal with {@code code} and {@code message}. */
    public ApiException(ApiErrorCode code, String message) {
        this(code, message, 0);
    }

    /** With a {@code Retry-After} of {@code retryAfterSeconds} (0: none; UNAVAILABLE gets at least 1). */
    public ApiException(ApiErrorCode code, String message, long retryAfterSeconds) {
        this(code, message, retryAfterSeconds, null);
    }

    private ApiException(ApiErrorCode code, String message, long retryAfterSeconds, String challenge) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterSeconds = code == ApiErrorCode.UNAVAILABLE || code == ApiErrorCode.TOO_MANY_REQUESTS
                ? Math.max(1, retryAfterSeconds) : retryAfterSeconds;
        this.challenge = challenge;
    }

    /** UNAUTHORIZED with a {@code WWW-Authenticate} value, e.g. {@code Basic realm="berth"}. */
    public static ApiException unauthorized(String message, String challenge) {
        return new ApiException(ApiErrorCode.UNAUTHORIZED, message, 0, challenge);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ApiErrorCode.BAD_REQUEST, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ApiErrorCode.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiErrorCode.NOT_FOUND, message);
    }

    /** The code; never null. */
    public ApiErrorCode code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or 0 for no such header. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The {@code WWW-Authenticate} value to answer with, or null. */
    public String challenge() {
        return challenge;
    }
}
