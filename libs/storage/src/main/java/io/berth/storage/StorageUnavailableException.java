package io.berth.storage;

import io.berth.errors.ServiceUnavailableException;

/**
 * The object store could not be reached, refused berth's credentials, or lacks berth's bucket.
 * This is an operator's problem, never a client's: as every outage of a dependency, the API
 * answers it 503 UNAVAILABLE with {@code Retry-After} (libs/errors, docs/errors.md), and the
 * store's readiness check takes the service out of rotation meanwhile.
 */
public class StorageUnavailableException extends ServiceUnavailableException {

    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message) {
        super(message, null);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
