package io.berth.registry.metadata;

/** PostgreSQL failed or is unreachable: an operator's problem, answered as UNKNOWN/500. */
public class MetadataUnavailableException extends RuntimeException {

    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
