package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;

/**
 * A {@link RegistryException} answered with another status than its code's, where the
 * distribution-spec asks for a status no error code carries: 413 for a manifest over the size
 * limit (code MANIFEST_INVALID), 400 for a malformed pagination parameter (the spec allows only
 * its fourteen codes, and none is about query parameters). The shared mapper (libs/errors) still
 * writes the body.
 */
public class RegistryStatusException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    /** An error with {@code code} and {@code detail}, answered with {@code httpStatus}. */
    public RegistryStatusException(int httpStatus, RegistryErrorCode code, Object detail) {
        super(code, detail);
        this.httpStatus = httpStatus;
    }

    /** The status to answer with instead of {@code code().status()}. */
    @Override
    public int status() {
        return httpStatus;
    }
}
