package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import java.util.Map;

/**
 * A chunk that does not start where the session ends (RANGE_INVALID, 416). It carries the
 * session's state because the answer must tell the client, in {@code Range} and {@code Location},
 * where to continue.
 */
public class UploadRangeException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final transient UploadStatus status;

    public UploadRangeException(UploadStatus status, String reason) {
        super(RegistryErrorCode.RANGE_INVALID, Map.of("reason", reason, "received", status.receivedBytes()));
        this.status = status;
    }

    /** The session as it stands. */
    public UploadStatus upload() {
        return status;
    }
}
