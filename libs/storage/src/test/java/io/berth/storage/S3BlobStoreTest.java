package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against the real local S3 endpoint that {@code ./berth test} starts (S3Proxy). */
class S3BlobStoreTest {

    private static final String ENDPOINT =
            System.getenv().getOrDefault("BERTH_STORAGE_ENDPOINT", "http://127.0.0.1:9000");

    private static StorageConfig config(String endpoint, String bucket, String secret) {
        return new StorageConfig() {
            public String endpoint() { return endpoint; }
            public String accessKey() { return "berth"; }
            public String secretKey() { return secret; }
            public String bucket() { return bucket; }
            public String region() { return "us-east-1"; }
        };
    }

    @Test
    void existingBucketIsAvailable() {
        var store = new S3BlobStore(config(ENDPOINT, "berth-test", "berth-local-secret"));
        assertDoesNotThrow(store::checkAvailable);
    }

    @Test
    void missingBucketIsUnavailable() {
        var store = new S3BlobStore(config(ENDPOINT, "no-such-bucket-here", "berth-local-secret"));
        var e = assertThrows(StorageUnavailableException.class, store::checkAvailable);
        assertTrue(e.getMessage().contains("no-such-bucket-here"), e.getMessage());
    }

    @Test
    void wrongSecretIsUnavailable() {
        var store = new S3BlobStore(config(ENDPOINT, "berth-test", "not-the-secret"));
        assertThrows(StorageUnavailableException.class, store::checkAvailable);
    }

    @Test
    void unreachableEndpointIsUnavailable() {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var store = new S3BlobStore(config("http://127.0.0.1:1", "berth-test", "berth-local-secret"));
        assertThrows(StorageUnavailableException.class, store::checkAvailable);
    }
}
