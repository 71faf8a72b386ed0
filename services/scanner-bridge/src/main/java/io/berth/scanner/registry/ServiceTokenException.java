package io.berth.scanner.registry;

/**
 * Why {@link ServiceTokens} has no token: the reason says whether trying again later can help
 * (auth unreachable) or an operator must act (no secret, a secret auth refuses, a grant auth
 * withholds). The message names the account and the repository, never the secret.
 */
public class ServiceTokenException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** {@code berth.scanner.service.secret} is unset. */
        NOT_CONFIGURED,
        /** auth refused the credentials (401) or the request (4xx), or granted less than asked. */
        REFUSED,
        /** auth could not be reached, timed out, answered 5xx or 429, or answered no token. */
        UNAVAILABLE
    }

    private final Reason reason;

    public ServiceTokenException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ServiceTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
