package io.berth.scanner.adapter;

/**
 * A call to a scanner adapter that did not work. The message names the adapter and what failed,
 * in words an administrator can act on, and never holds a secret.
 */
public class AdapterException extends Exception {

    /** Why a call failed. */
    public enum Reason {
        /** The adapter's host name does not resolve. */
        DNS,
        /** Nothing accepts connections there (refused, unreachable). */
        UNREACHABLE,
        /** The TLS handshake failed (an untrusted or wrong certificate, no common protocol). */
        TLS,
        /** The adapter refused berth's credentials (401). */
        UNAUTHORIZED,
        /** The adapter accepted the credentials but refused the request (403). */
        FORBIDDEN,
        /** The adapter does not know the path or the scan request (404): not a Pluggable Scanner API URL, or an expired scan. */
        NOT_FOUND,
        /** No answer in time, or no report within the total wait. */
        TIMEOUT,
        /** The adapter refused the request as invalid (400, 422), with the spec's error message. */
        REJECTED,
        /** The adapter cannot handle the artifact or report type (501). */
        UNSUPPORTED,
        /** The scan failed in the adapter (500 with the spec's error message). */
        SCANNER_FAILED,
        /** The adapter answered what the spec does not allow: another status, JSON that does not parse or lacks fields, an oversized body. */
        MALFORMED
    }

    private final Reason reason;

    public AdapterException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AdapterException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
