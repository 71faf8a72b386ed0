package io.berth.gc.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvents;
import io.berth.events.EventType;
import io.berth.events.OutboxRows;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code artifact.deleted} events of what gc deletes, written to the outbox on the
 * connection of the deleting transaction, so an event exists exactly when the delete committed
 * (docs/events.md). They are a user's delete's events with a {@code reason}: {@code gc} for
 * untagged manifests a run removed, {@code retention} for a retention policy's.
 */
public final class DeletionEvents {

    /** The CloudEvents {@code source} of gc's events. */
    public static final String SOURCE = "/berth/gc";

    /**
     * The {@code data} of gc's {@code artifact.deleted}: registry-api's fields, plus why.
     *
     * @param actor who started the run or set the policy, or null for a scheduled or event run
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactDeleted(String project, String repository, String digest, String mediaType,
            String artifactType, long size, String actor, String reason) {}

    private DeletionEvents() {}

    /** Writes one {@code artifact.deleted} for a manifest of {@code repository}. */
    public static void write(Connection c, ObjectMapper json, ArtifactDeleted data) throws SQLException {
        UUID id = UUID.randomUUID();
        String payload = CloudEvents.envelope(json, EventType.ARTIFACT_DELETED, id, SOURCE, data.repository(), data,
                Instant.now().toString());
        OutboxRows.insert(c, EventType.ARTIFACT_DELETED, id, data.repository(), payload);
    }
}
