package io.berth.oci;

import java.util.Objects;

/**
 * A failure the registry reports to its client as one distribution-spec error: a
 * {@link RegistryErrorCode} (which fixes the HTTP status and default message) and an optional
 * {@code detail}, written as the error's {@code detail} field (a string, or any value the
 * service's JSON mapper can serialise; {@code null} when there is none).
 *
 * <p>Client errors (status below 500) carry no stack trace unless they wrap a cause: they are
 * ordinary outcomes ({@code HEAD} on an unknown blob happens on every push), and filling in a
 * stack trace for each would cost for nothing. Server errors keep theirs for the one log line.
 */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RegistryErrorCode code;
    // The detail is a wire payload, not part of the exception's identity; it may not be
    // Serializable.
    private final transient Object detail;

    /**
     * Creates an exception for {@code code} with an optional {@code detail}.
     *
     * @throws NullPointerException if {@code code} is null
     */
    public RegistryException(RegistryErrorCode code, Object detail) {
        this(code, detail, null);
    }

    /**
     * Creates an exception for {@code code} with an optional {@code detail} and {@code cause}.
     *
     * @throws NullPointerException if {@code code} is null
     */
    public RegistryException(RegistryErrorCode code, Object detail, Throwable cause) {
        super(describe(code, detail), cause, true,
                cause != null || Objects.requireNonNull(code, "code").status() >= 500);
        this.code = code;
        this.detail = detail;
    }

    /** An exception for {@code code} without detail. */
    public static RegistryException of(RegistryErrorCode code) {
        return new RegistryException(code, null);
    }

    /** An exception for {@code code} with {@code detail} (may be null). */
    public static RegistryException of(RegistryErrorCode code, Object detail) {
        return new RegistryException(code, detail);
    }

    /** The error code; never null. */
    public RegistryErrorCode code() {
        return code;
    }

    /** The detail for the error body, or {@code null}. */
    public Object detail() {
        return detail;
    }

    /** The HTTP status to answer with: that of {@link #code()}. */
    public int status() {
        return code.status();
    }

    /**
     * The {@code message} field of the error body: the code's own message; a subclass that names
     * the case for people (a refused push) overrides it.
     */
    public String clientMessage() {
        return code.message();
    }

    /**
     * Seconds for the answer's {@code Retry-After}, 0 for none: 1 for TOOMANYREQUESTS (clients
     * that honour it, containerd and skopeo, wait that long) and UNAVAILABLE; a subclass that
     * knows better (read-only mode) overrides it.
     */
    public long retryAfterSeconds() {
        return code == RegistryErrorCode.TOOMANYREQUESTS || code == RegistryErrorCode.UNAVAILABLE ? 1 : 0;
    }

    private static String describe(RegistryErrorCode code, Object detail) {
        Objects.requireNonNull(code, "code");
        return detail == null
                ? code.code() + ": " + code.message()
                : code.code() + ": " + code.message() + ": " + detail;
    }
}
