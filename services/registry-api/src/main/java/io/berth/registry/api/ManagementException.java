package io.berth.registry.api;

import io.berth.oci.RegistryException;
import io.berth.registry.service.PolicyException;
import io.berth.registry.service.ReadOnlyException;

/**
 * A failure of the management API ({@code /api/v1}), answered by
 * {@link ManagementExceptionMapper} as {@code {"errors":[{"code":"NOT_FOUND","message":"..."}]}}
 * (Harbor's shape). Separate from {@link RegistryException} on purpose: {@code /v2} must keep
 * the distribution-spec codes, while people and the console get these four.
 */
public class ManagementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The management API's error codes, each with its HTTP status. */
    public enum Code {
        BAD_REQUEST(400),
        UNAUTHORIZED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        /** berth is read-only for maintenance (docs/adr/0022); answered with {@code Retry-After}. */
        UNAVAILABLE(503);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        /** The HTTP status this code is answered with. */
        public int status() {
            return status;
        }
    }

    private final Code code;
    private final long retryAfterSeconds;

    // Expected outcomes (a 404 on a stale console page), so no stack trace is filled in.
    public ManagementException(Code code, String message) {
        this(code, message, 0);
    }

    /** With a {@code Retry-After} of {@code retryAfterSeconds} (0: none). */
    public ManagementException(Code code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Code code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or 0 for no such header. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ManagementException notFound(String message) {
        return new ManagementException(Code.NOT_FOUND, message);
    }

    public static ManagementException badRequest(String message) {
        return new ManagementException(Code.BAD_REQUEST, message);
    }

    public static ManagementException forbidden(String message) {
        return new ManagementException(Code.FORBIDDEN, message);
    }

    /**
     * Translates a registry failure from the shared service layer: a 404 code (NAME_UNKNOWN,
     * MANIFEST_UNKNOWN) becomes NOT_FOUND with {@code notFound} as the message, a policy's
     * refusal FORBIDDEN (an immutable tag) or UNAVAILABLE (read-only) with its message, another
     * client error (an invalid name or digest) BAD_REQUEST; server errors are rethrown unchanged
     * for the generic 500 handling.
     */
    public static RuntimeException from(RegistryException e, String notFound) {
        if (e.status() == 404) {
            return notFound(notFound);
        }
        if (e instanceof ReadOnlyException r) {
            return new ManagementException(Code.UNAVAILABLE, r.reason(), r.retryAfterSeconds());
        }
        if (e instanceof PolicyException p) {
            return new ManagementException(Code.FORBIDDEN, p.reason());
        }
        return e.status() < 500 ? badRequest(e.getMessage()) : e;
    }
}
