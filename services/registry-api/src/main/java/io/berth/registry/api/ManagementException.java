package io.berth.registry.api;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.oci.RegistryException;
import io.berth.registry.service.PolicyException;
import io.berth.registry.service.ReadOnlyException;

/**
 * A failure of registry-api's management API ({@code /api/v1}): an {@link ApiException} of the
 * one vocabulary (libs/errors), with the translation of the registry failures the shared service
 * layer throws. {@code /v2} keeps the distribution-spec codes of {@link RegistryException}.
 */
public class ManagementException extends ApiException {

    private static final long serialVersionUID = 1L;

    public ManagementException(ApiErrorCode code, String message) {
        super(code, message);
    }

    /** With a {@code Retry-After} of {@code retryAfterSeconds} (0: none). */
    public ManagementException(ApiErrorCode code, String message, long retryAfterSeconds) {
        super(code, message, retryAfterSeconds);
    }

    public static ManagementException notFound(String message) {
        return new ManagementException(ApiErrorCode.NOT_FOUND, message);
    }

    public static ManagementException badRequest(String message) {
        return new ManagementException(ApiErrorCode.BAD_REQUEST, message);
    }

    public static ManagementException forbidden(String message) {
        return new ManagementException(ApiErrorCode.FORBIDDEN, message);
    }

    /**
     * Translates a registry failure from the shared service layer: a 404 code (NAME_UNKNOWN,
     * MANIFEST_UNKNOWN) becomes NOT_FOUND with {@code notFound} as the message, a policy's
     * refusal FORBIDDEN (an immutable tag) or UNAVAILABLE (read-only) with its message, another
     * client error (an invalid name or digest) BAD_REQUEST; server errors are rethrown unchanged
     * for the shared mapper (an outage 503, anything else 500).
     */
    public static RuntimeException from(RegistryException e, String notFound) {
        if (e.status() == 404) {
            return notFound(notFound);
        }
        if (e instanceof ReadOnlyException r) {
            return new ManagementException(ApiErrorCode.UNAVAILABLE, r.reason(), r.retryAfterSeconds());
        }
        if (e instanceof PolicyException p) {
            return new ManagementException(ApiErrorCode.FORBIDDEN, p.reason());
        }
        return e.status() < 500 ? badRequest(e.getMessage()) : e;
    }
}
