package io.berth.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A leftover of {@link FilesystemBlobStore}: a file or directory under a temporary name
 * ({@code .<name>.<random>.tmp}) that a write or removal did not finish. gc lists them with
 * {@link FilesystemBlobStore#listTemporaries} and removes the old ones.
 *
 * @param path where it is, relative to the store's root, with {@code /} between names
 * @param directory whether it is a directory (a retired multipart upload)
 * @param size its size in bytes (0 for a directory)
 * @param modified when it was last written
 */
public record TemporaryFile(String path, boolean directory, long size, Instant modified) {

    public TemporaryFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
    }
}
