package io.berth.registry.metadata;

import io.berth.oci.Digest;
import io.berth.storage.ObjectId;

/** A row of {@code blobs}: a digest, the object holding its bytes, and its size. */
public record StoredBlob(Digest digest, ObjectId objectId, long size) {}
