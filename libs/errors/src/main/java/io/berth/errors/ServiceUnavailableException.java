package io.berth.errors;

/**
 * Something berth depends on cannot answer now (PostgreSQL down or out of connections): not the
 * client's fault and not a bug, so it is answered 503 UNAVAILABLE with {@code Retry-After}
 * ({@link Outages#RETRY_AFTER_SECONDS}), never a 500. A service's storage layer throws a
 * subclass of its own (registry-api's {@code MetadataUnavailableException}); failures that come
 * wrapped in other exceptions are recognised by {@link Outages#isOutage}.
 */
public class ServiceUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
