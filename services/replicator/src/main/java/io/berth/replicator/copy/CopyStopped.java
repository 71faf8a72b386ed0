package io.berth.replicator.copy;

/** A copy ended because its execution was asked to stop; what was sent stays at the destination. */
public final class CopyStopped extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CopyStopped(String message) {
        super(message);
    }
}
