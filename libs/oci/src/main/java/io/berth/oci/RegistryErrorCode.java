package io.berth.oci;

import java.util.Optional;

/**
 * The error codes a registry puts in the {@code {"errors":[{"code":...}]}} body, each with the
 * HTTP status it is answered with and its default message.
 *
 * <p>The first fourteen are the distribution-spec's "Error Codes" table (code-1 to code-14),
 * messages verbatim. The spec gives no statuses; these follow CNCF distribution's
 * {@code errcode} registrations, except {@link #UNSUPPORTED}, which berth answers with 415
 * because it is raised for media types it does not accept. {@link #RANGE_INVALID} and
 * {@link #UNKNOWN} and {@link #UNAVAILABLE} are distribution's extensions, which clients already
 * understand; berth answers UNAVAILABLE while it is read-only (docs/adr/0022).
 *
 * <p>Handlers only pick a code (through {@link RegistryException}); one exception mapper turns
 * it into a status and body. Nothing here fails: every constant is complete.
 */
public enum RegistryErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    // 400, not 404: the manifest PUT itself is at fault (distribution, zot and the
    // conformance suite agree); the fix is to push the blob first.
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(415, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    RANGE_INVALID(416, "invalid content range"),
    UNKNOWN(500, "unknown error"),
    UNAVAILABLE(503, "service unavailable");

    private final int status;
    private final String message;

    RegistryErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The wire string of the {@code code} field, e.g. {@code BLOB_UNKNOWN}. */
    public String code() {
        return name();
    }

    /** The HTTP status the registry answers with for this code. */
    public int status() {
        return status;
    }

    /** The default human-readable {@code message} field. */
    public String message() {
        return message;
    }

    /**
     * Looks a wire code up, e.g. from a remote registry's error body; empty (never an
     * exception) for {@code null} or codes berth does not know, such as {@code TAG_INVALID}.
     */
    public static Optional<RegistryErrorCode> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (RegistryErrorCode c : values()) {
            if (c.name().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
