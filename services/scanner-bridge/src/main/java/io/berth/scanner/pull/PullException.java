package io.berth.scanner.pull;

/**
 * A pull from a registry that did not work, with a reason a caller can act on and a message that
 * names what failed (the URL's host, the manifest, the blob). Never carries credentials.
 */
public class PullException extends Exception {

    /** Why a pull failed. */
    public enum Reason {
        /** The registry refused the credentials (401, also after the token flow). */
        UNAUTHORIZED,
        /** The credentials are valid but may not pull this repository (403). */
        FORBIDDEN,
        /** No such repository, manifest or blob (404). */
        NOT_FOUND,
        /** The registry could not be reached, answered an unexpected status, or timed out. */
        UNREACHABLE,
        /** The registry sent something that is not what it should be (a manifest that does not parse, a wrong digest). */
        INVALID,
        /** The artifact is not a single image manifest (an index, a non-image artifact). */
        UNSUPPORTED
    }

    private final Reason reason;

    public PullException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PullException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
