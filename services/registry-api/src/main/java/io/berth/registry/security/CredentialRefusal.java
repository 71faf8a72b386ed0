package io.berth.registry.security;

/**
 * Why delegated credentials (Basic, or a foreign bearer token on {@code /api/v1}) did not yield a
 * registry token ({@link DelegatedCredentials}); the filters turn it into the answer of their API.
 * No stack trace: these are expected outcomes.
 */
public final class CredentialRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, and so how it is answered. */
    public enum Kind {
        /** The header is not base64 of {@code user:password}, or not a JWT: 401, nothing was asked. */
        MALFORMED,
        /** auth refused the credentials: 401 with the challenge. */
        INVALID,
        /** auth refuses logins of this account or address for a while: 429 with Retry-After. */
        LIMITED,
        /** auth could not be asked, or could not ask Keycloak: 503 with Retry-After. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public CredentialRefusal(Kind kind, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** For LIMITED and UNAVAILABLE: when to try again. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
