package io.berth.storage;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * {@link BlobStore} on any S3-compatible endpoint through the MinIO Java SDK. The SDK is
 * blocking: callers on an event loop must hop to a worker thread first.
 */
public final class S3BlobStore implements BlobStore {

    private final MinioClient client;
    private final String bucket;
    private final String endpoint;

    public S3BlobStore(StorageConfig config) {
        this.endpoint = config.endpoint();
        this.bucket = config.bucket();
        // Short connect timeout: an unreachable store must fail a readiness probe quickly. Reads
        // and writes get long timeouts because blobs can be gigabytes.
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.MINUTES)
                .writeTimeout(5, TimeUnit.MINUTES)
                .build();
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http)
                .build();
    }

    @Override
    public void checkAvailable() {
        boolean exists;
        try {
            exists = client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw new StorageUnavailableException(
                    "object store at " + endpoint + " is not usable: " + e.getMessage(), e);
        }
        if (!exists) {
            throw new StorageUnavailableException(
                    "bucket '" + bucket + "' does not exist at " + endpoint);
        }
    }

    @Override
    public String bucket() {
        return bucket;
    }
}
