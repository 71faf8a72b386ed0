package io.berth.storage;

import io.berth.storage.http.StoreTransport;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the configured {@link BlobStore} injectable in every service that stores bytes. Where the
 * service runs Vert.x, the S3 store gets its event-loop transport (HTTP bodies piped to and from
 * the store); elsewhere it moves bytes through its SDK alone.
 */
public class StorageProducer {

    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config, Instance<Vertx> vertx) {
        StoreTransport transport = vertx.isResolvable() ? new StoreTransport(vertx.get(), config.directRelay()) : null;
        return new S3BlobStore(config, transport);
    }

    void close(@Disposes BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }
}
