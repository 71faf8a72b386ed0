package io.berth.storage;

/**
 * The bytes of berth: blobs and in-progress uploads in one S3 bucket. Nothing above this
 * interface sees an S3 or MinIO type; failures arrive as the exceptions each method names.
 */
public interface BlobStore {

    /**
     * Checks that the object store answers and that berth's bucket exists and is accessible.
     *
     * @throws StorageUnavailableException if the endpoint does not answer, the credentials are
     *     refused, or the bucket is missing
     */
    void checkAvailable();

    /** The bucket this store writes to, for messages and health reports. */
    String bucket();
}
