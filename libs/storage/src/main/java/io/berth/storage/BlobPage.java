package io.berth.storage;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@link BlobStore#list}: blobs in ascending object-id order.
 *
 * @param blobs this page's blobs, at most the limit asked for
 * @param next the id to pass as {@code after} for the next page; empty on the last page
 */
public record BlobPage(List<ListedBlob> blobs, Optional<ObjectId> next) {

    public BlobPage {
        blobs = List.copyOf(blobs);
    }
}
