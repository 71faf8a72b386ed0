package io.berth.scanner.vulndb;

/**
 * An import refused for what was sent or for the moment it was sent: the resource answers with
 * the reason's status, and nothing of the import was committed.
 */
public class VulnDbException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why: each maps to one status on the API. */
    public enum Reason {
        /** Not a valid OSV record or export (400); the message names the entry. */
        INVALID,
        /** Over a configured bound (413). */
        TOO_LARGE,
        /** Another import is running (409). */
        BUSY
    }

    private final Reason reason;

    public VulnDbException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The same refusal with the import's id in front, once the import has one. */
    VulnDbException of(long importId) {
        return new VulnDbException(reason, "import " + importId + " failed: " + getMessage());
    }
}
