package io.berth.registry.metadata;

import io.berth.errors.ServiceUnavailableException;
/**
 * PostgreSQL failed or is unreachable: an operator's problem, not the client's, answered 503
 * UNAVAILABLE with {@code Retry-After} by the shared mapper (libs/errors), never a 500.
 */
public class MetadataUnavailableException extends ServiceUnavailableException {

    private static final long serialVersionUID = 1L;

    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
