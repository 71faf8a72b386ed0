package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import java.util.Map;

/**
 * A write refused because berth is read-only (docs/adr/0022): 503 UNAVAILABLE with
 * {@code Retry-After}, on {@code /v2} in the distribution-spec's body and on {@code /api/v1} in the
 * management one.
 */
public class ReadOnlyException extends PolicyException {

    private static final long serialVersionUID = 1L;

    static final String MESSAGE = "berth is read-only for maintenance: pulls work, pushes and deletes are refused"
            + " until an administrator ends it; try again later";

    private final long retryAfterSeconds;

    ReadOnlyException(long retryAfterSeconds) {
        super(RegistryErrorCode.UNAVAILABLE, MESSAGE, Map.of("readOnly", true));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The {@code Retry-After} to answer with, in seconds. */
    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
