package io.berth.registry.metadata;

/**
 * A manifest as stored in {@code manifests}: what a pull, a delete or an event needs.
 *
 * @param id the row id
 * @param digest the digest of {@link #content()}, e.g. {@code sha256:...}
 * @param mediaType the stored media type, answered as {@code Content-Type}
 * @param artifactType the effective artifact type, or null
 * @param size the length of the manifest's bytes
 * @param content the exact bytes pushed; null when the caller asked for metadata only (HEAD)
 */
public record StoredManifest(long id, String digest, String mediaType, String artifactType,
        long size, byte[] content) {}
