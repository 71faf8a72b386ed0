package io.berth.replicator.remote;

import io.berth.oci.Digest;

/**
 * A manifest at a remote: its digest, media type and size, and its bytes when it was fetched
 * (null after a HEAD).
 */
public record RemoteManifest(Digest digest, String mediaType, long size, byte[] bytes) {}
