package io.berth.scanner.flow;

/**
 * A scan that could not produce a report. The message is what the job, the report and the
 * {@code scan.failed} event say, so it names what was wrong (the layer, the blob, the limit).
 */
public class ScanException extends Exception {

    private final boolean retryable;

    public ScanException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Bad input: another attempt would fail the same way. */
    public static ScanException permanent(String message) {
        return new ScanException(message, false, null);
    }

    /** Whether another attempt may succeed (a store or database outage), as opposed to bad input. */
    public boolean retryable() {
        return retryable;
    }
}
