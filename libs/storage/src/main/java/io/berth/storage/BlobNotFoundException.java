package io.berth.storage;

import java.util.Optional;

/**
 * The object asked for does not exist: a blob never written, already deleted, or whose multipart
 * upload is unknown to the store (never begun, aborted or already completed); or a missing upload
 * tail. The API answers it as the matching "unknown" error ({@code BLOB_UNKNOWN},
 * {@code BLOB_UPLOAD_UNKNOWN}); it is never an operator's problem.
 */
public class BlobNotFoundException extends RuntimeException {

    private final transient ObjectId objectId;
    private final String key;

    /** A missing blob (or its unknown multipart upload). */
    public BlobNotFoundException(ObjectId objectId, String message) {
        super(message);
        this.objectId = objectId;
        this.key = ObjectKeys.blob(objectId);
    }

    /** A missing object that is not a blob, such as an upload tail. */
    public BlobNotFoundException(String key, String message) {
        super(message);
        this.objectId = null;
        this.key = key;
    }

    /** The blob that is missing; empty when the missing object is an upload tail. */
    public Optional<ObjectId> objectId() {
        return Optional.ofNullable(objectId);
    }

    /** The object key that was looked up, for logs. */
    public String key() {
        return key;
    }
}
