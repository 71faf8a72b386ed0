package io.berth.storage;

/**
 * The object store could not be reached, refused berth's credentials, or lacks berth's bucket.
 * This is an operator's problem, never a client's: the API answers it with a 5xx.
 */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
