package io.berth.auth.api;

/**
 * A failure of auth's management API ({@code /api/v1}), answered by {@link ApiExceptionMapper}
 * as {@code {"errors":[{"code":"NOT_FOUND","message":"..."}]}}: Harbor's shape, the same one
 * registry-api's {@code /api/v1} answers with.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The codes, each with its HTTP status. */
    public enum Code {
        BAD_REQUEST(400),
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        CONFLICT(409),
        PRECONDITION_FAILED(412),
        TOO_MANY_REQUESTS(429),
        UNAVAILABLE(503);

        final int status;

        Code(int status) {
            this.status = status;
        }
    }

    private final Code code;
    private final long retryAfterSeconds;

    // Expected outcomes of clients' requests: no stack trace.
    public ApiException(Code code, String message) {
        this(code, message, 0);
    }

    /** With a {@code Retry-After} of {@code retryAfterSeconds} (for TOO_MANY_REQUESTS). */
    public ApiException(Code code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Code code() {
        return code;
    }
}
