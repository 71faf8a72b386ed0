package io.berth.registry.metadata;

import java.time.Instant;

/**
 * A repository as the management API lists it (JSON field names are these component names).
 *
 * @param name the full name, project included ({@code team/app/web})
 * @param artifactCount the repository's manifests, indexes included
 * @param tagCount its tags
 * @param totalSize bytes: the sizes of the distinct blobs linked to the repository (pushed,
 *     mounted or referenced; each counted once, whether or not a manifest still references it,
 *     because it stays stored until gc) plus the sizes of all its manifests
 * @param lastPushedAt the latest first-push time of its manifests; null if it has none
 * @param createdAt when its first blob or manifest arrived
 */
public record RepositorySummary(String name, long artifactCount, long tagCount, long totalSize,
        Instant lastPushedAt, Instant createdAt) {}
