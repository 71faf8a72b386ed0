package io.berth.registry.api;

import io.berth.errors.OciErrorBody;
import io.berth.oci.RegistryErrorCode;

/**
 * The distribution-spec error body, now {@link OciErrorBody} in libs/errors. Kept as a name for
 * the byte-transport classes ({@code BlobBodyWriter}) until they move to libs/storage, which
 * should use {@code OciErrorBody} or {@code WireErrors} directly.
 */
public final class ErrorResponse {

    private ErrorResponse() {}

    /** One error with the code's own message; {@code detail} is any JSON value, or null. */
    public static OciErrorBody of(RegistryErrorCode code, Object detail) {
        return OciErrorBody.of(code, detail);
    }
}
