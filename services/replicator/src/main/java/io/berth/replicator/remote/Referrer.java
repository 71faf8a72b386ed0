package io.berth.replicator.remote;

import io.berth.oci.Digest;

/**
 * A manifest that refers to another one through its {@code subject} (a signature, an SBOM, an
 * attestation), as the OCI 1.1 referrers API (or the referrers tag schema's index) lists it.
 *
 * @param artifactType the referrer's artifact type, or null if the listing names none
 */
public record Referrer(Digest digest, String mediaType, String artifactType, long size) {}
