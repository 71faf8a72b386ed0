package io.berth.registry.service;

import io.berth.oci.Digest;
import io.berth.storage.ObjectId;

/**
 * The entity of a blob GET: which bytes of which stored object to send. {@code BlobBodyWriter} in
 * the api package hands it to {@link io.berth.storage.BlobStore#send} with the client's response.
 *
 * @param objectId the blob's object
 * @param offset the first byte to send
 * @param length how many bytes to send, or -1 for all of the object
 * @param digest the blob, for error answers and logs
 */
public record BlobBody(ObjectId objectId, long offset, long length, Digest digest) {}
