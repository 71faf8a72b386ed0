package io.berth.storage;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Makes the configured {@link BlobStore} ({@code berth.storage.kind}) injectable in every service that stores bytes. */
public class StorageProducer {

    /**
     * @throws IllegalStateException at startup if {@code kind=filesystem} has no
     *     {@code berth.storage.filesystem.root}
     */
    @Produces
    @Singleton
    BlobStore blobStore(StorageConfig config) {
        return switch (config.kind()) {
            case S3 -> new S3BlobStore(config);
            case FILESYSTEM -> new FilesystemBlobStore(Path.of(config.filesystem().root().orElseThrow(
                    () -> new IllegalStateException("berth.storage.kind=filesystem needs berth.storage.filesystem.root"
                            + " (BERTH_STORAGE_FILESYSTEM_ROOT): the directory that holds the blobs"))));
        };
    }
}
