package io.berth.storage;

import java.util.Objects;

/**
 * One part written by {@link BlobStore#writePart}; the caller keeps it (in the upload session)
 * and hands the list back to {@link BlobStore#completeMultipart}.
 *
 * @param number the part number, 1 to {@link BlobStore#MAX_PARTS}
 * @param etag the object store's ETag for the part, opaque and passed back unchanged
 * @param length the number of bytes in the part
 */
public record CompletedPart(int number, String etag, long length) {

    /** @throws IllegalArgumentException if a field is out of range; NullPointerException if etag is null */
    public CompletedPart {
        Objects.requireNonNull(etag, "etag");
        if (number < 1 || number > BlobStore.MAX_PARTS) {
            throw new IllegalArgumentException("part number " + number + " is not in 1.." + BlobStore.MAX_PARTS);
        }
        if (length < 0) {
            throw new IllegalArgumentException("part length " + length + " is negative");
        }
    }
}
