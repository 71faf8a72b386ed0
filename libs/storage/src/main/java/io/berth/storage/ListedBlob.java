package io.berth.storage;

import java.time.Instant;

/**
 * One blob object as {@link BlobStore#list} finds it.
 *
 * @param id the object
 * @param size its size in bytes
 * @param lastModified when it was written, for a sweep's grace period
 */
public record ListedBlob(ObjectId id, long size, Instant lastModified) {}
