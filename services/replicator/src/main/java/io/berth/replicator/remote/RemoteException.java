package io.berth.replicator.remote;

import java.util.Locale;

/**
 * A remote registry could not do what was asked, with the {@link Reason} as a code a caller (and
 * the ping API) can act on, and a message that says what happened in words. Messages never
 * contain credentials.
 */
public final class RemoteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why; each has its wire name ({@link #wire()}), used by the ping API. */
    public enum Reason {
        /** The host name does not resolve. */
        DNS,
        /** Nothing listens at the address (connection refused or unreachable). */
        CONNECTION_REFUSED,
        /** The TLS handshake failed: an untrusted (e.g. self-signed) certificate, a wrong host, a protocol mismatch. */
        TLS,
        /** No answer in time (connecting or waiting for the response). */
        TIMEOUT,
        /** The registry needs credentials, or refused the ones given (wrong user name or password). */
        UNAUTHORIZED,
        /** The credentials are valid but not allowed to do this. */
        FORBIDDEN,
        /** What answers is not a registry speaking the distribution API (no {@code /v2/}). */
        NOT_A_REGISTRY,
        /** The repository, manifest or blob does not exist there. */
        NOT_FOUND,
        /** The registry refused the request (e.g. a manifest type it does not take) or answered nonsense. */
        REJECTED,
        /** The connection broke, or another I/O failure. */
        IO;

        /** The lower-case, hyphenated name: {@code connection-refused}, {@code not-a-registry}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final int status;

    public RemoteException(Reason reason, String message) {
        this(reason, message, 0, null);
    }

    public RemoteException(Reason reason, String message, int status, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The remote's HTTP status, or 0 if there was no answer. */
    public int status() {
        return status;
    }

    /** Whether trying again later may succeed (the remote down or slow, a 5xx). */
    public boolean transientFailure() {
        return switch (reason) {
            case DNS, CONNECTION_REFUSED, TIMEOUT, IO -> true;
            case REJECTED -> status >= 500 || status == 429;
            default -> false;
        };
    }
}
