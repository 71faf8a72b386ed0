package io.berth.storage;

import io.berth.storage.http.StoreTransport;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Makes the configured {@link BlobStore} ({@code berth.storage.kind}) injectable in every service
 * that stores bytes. Where the service runs Vert.x, the S3 store gets its event-loop transport
 * (HTTP bodies piped to and from the store); elsewhere it moves bytes through its SDK alone.
 */
public class StorageProducer {

    /**
     * @throws IllegalStateException at startup if {@code kind=filesystem} has no
     *     {@code berth.storage.filesystem.root}
     */
    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config, Instance<Vertx> vertx) {
        return create(config, vertx.isResolvable() ? vertx.get() : null);
    }

    /** The store {@code config} names; with {@code vertx} (or null), S3 gets its event-loop transport. */
    static BlobStore create(StorageConfig config, Vertx vertx) {
        return switch (config.kind()) {
            case S3 -> new S3BlobStore(config, vertx != null ? new StoreTransport(vertx, config.directRelay()) : null);
            case FILESYSTEM -> new FilesystemBlobStore(Path.of(config.filesystem().root().orElseThrow(
                    () -> new IllegalStateException("berth.storage.kind=filesystem needs berth.storage.filesystem.root"
                            + " (BERTH_STORAGE_FILESYSTEM_ROOT): the directory that holds the blobs"))));
        };
    }

    void close(@Disposes BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }
}
