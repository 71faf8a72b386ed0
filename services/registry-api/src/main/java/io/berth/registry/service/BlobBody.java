package io.berth.registry.service;

import io.berth.oci.Digest;
import java.net.URI;

/**
 * The entity of a blob GET: where the object store serves the bytes (a short-lived presigned
 * URL) and which of them to send. {@code BlobBodyWriter} in the api package pipes them to the client.
 *
 * @param source the presigned GET of the blob's object
 * @param offset the first byte to send
 * @param length how many bytes to send, or -1 for all of the object
 * @param digest the blob, for error answers and logs
 */
public record BlobBody(URI source, long offset, long length, Digest digest) {}
