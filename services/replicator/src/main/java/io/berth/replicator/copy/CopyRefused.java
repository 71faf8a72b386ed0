package io.berth.replicator.copy;

/**
 * A copy that must not happen, for a reason retrying will not change: the destination tag exists
 * with another digest and the policy does not overwrite, or the artifact is of a kind the policy
 * does not select. Its message says which.
 */
public final class CopyRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why: a task refused as {@code FILTERED} is not a failure (it is skipped), {@code EXISTS} is. */
    public enum Reason { EXISTS, FILTERED }

    private final Reason reason;

    public CopyRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
