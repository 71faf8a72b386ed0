package io.berth.registry.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code data} of the {@code berth.artifacts} events registry-api writes
 * ({@code artifact.pushed}, {@code artifact.deleted}, {@code tag.deleted}). Null fields are
 * left out of the JSON.
 *
 * @param project the project, the first component of the repository name
 * @param repository the full repository name
 * @param digest the manifest's digest
 * @param mediaType the manifest's media type
 * @param artifactType the effective artifact type, or null
 * @param tag the tag pushed or deleted, or null (push by digest, manifest delete)
 * @param size the manifest's length in bytes
 * @param actor who made the change: the subject of the registry token (a user or a robot), or
 *     null for an anonymous request or a registry without tokens; never set on pulls, which
 *     are counted together
 * @param clientIp the client's address, null on pulls for the same reason
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactEventData(String project, String repository, String digest,
        String mediaType, String artifactType, String tag, long size, String actor, String clientIp) {

    /** An event without its origin (a pull, which stands for many requests). */
    public ArtifactEventData(String project, String repository, String digest, String mediaType, String artifactType,
            String tag, long size) {
        this(project, repository, digest, mediaType, artifactType, tag, size, null, null);
    }
}
