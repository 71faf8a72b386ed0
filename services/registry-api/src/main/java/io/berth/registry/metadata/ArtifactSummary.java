package io.berth.registry.metadata;

import java.time.Instant;
import java.util.List;

/**
 * An artifact (a manifest or index) as the management API lists it (JSON field names are these
 * component names).
 *
 * @param digest the manifest's digest
 * @param mediaType its media type as pushed
 * @param artifactType its effective artifact type, as the referrers API reports it: the
 *     manifest's own {@code artifactType}, else an image's config media type; null for an
 *     index without one
 * @param tags the tags pointing at it, in byte order; empty if none
 * @param size the manifest's own bytes
 * @param totalSize the manifest plus the distinct blobs it references (config and layers), as
 *     computed at push; for an index only its own bytes, since its children are artifacts of
 *     their own
 * @param pushedAt when it was first pushed (pushing the same bytes again keeps this)
 * @param lastPulledAt the last pull, or null if never pulled
 * @param subject the digest of its subject, or null
 * @param children for an index, the digests of its child manifests in byte order; empty for
 *     anything else
 * @param platforms for an index, each of its entries in the index's order, with the platform
 *     the index gives it (read from the stored index); empty for anything else
 * @param scan its vulnerability scan's state and summary by severity, or null if it was never
 *     scanned nor queued for a scan
 */
public record ArtifactSummary(String digest, String mediaType, String artifactType,
        List<String> tags, long size, long totalSize, Instant pushedAt, Instant lastPulledAt,
        String subject, List<String> children, List<ChildPlatform> platforms, ScanSummary scan) {}
