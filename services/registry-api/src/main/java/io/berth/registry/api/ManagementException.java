package io.berth.registry.api;

import io.berth.oci.RegistryException;

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
        NOT_FOUND(404);

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

    // Expected outcomes (a 404 on a stale console page), so no stack trace is filled in.
    public ManagementException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
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
     * MANIFEST_UNKNOWN) becomes NOT_FOUND with {@code notFound} as the message, another client
     * error (an invalid name or digest) BAD_REQUEST; server errors are rethrown unchanged for the
     * generic 500 handling.
     */
    public static RuntimeException from(RegistryException e, String notFound) {
        if (e.status() == 404) {
            return notFound(notFound);
        }
        return e.status() < 500 ? badRequest(e.getMessage()) : e;
    }
}
