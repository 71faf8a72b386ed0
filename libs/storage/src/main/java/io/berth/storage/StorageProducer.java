package io.berth.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the configured {@link BlobStore} injectable in every service that stores bytes. */
public class StorageProducer {

    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config) {
        return new S3BlobStore(config);
    }
}
