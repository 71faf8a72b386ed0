package io.berth.security.token;

/**
 * A registry token was refused. The {@link Reason} says why, for logs and metrics; clients only
 * ever see a 401 with a fresh challenge, never the reason.
 */
public class TokenException extends RuntimeException {

    /** Why a token was refused. */
    public enum Reason { MALFORMED, UNSUPPORTED_ALGORITHM, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, WRONG_AUDIENCE }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
