package io.berth.registry.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvents;
import io.berth.events.EventType;
import io.berth.events.OutboxRows;
import io.berth.registry.metadata.MetadataUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes events into the {@code outbox} table, inside the caller's transaction: an event exists
 * exactly when the change it describes was committed, and a relay (issue #6) publishes it to
 * Kafka later, so nothing is lost while Kafka is down.
 *
 * <p>The payload is a CloudEvents 1.0 structured-mode JSON envelope; its {@code id} is also the
 * row's {@code event_id}, so consumers can deduplicate redeliveries.
 */
@ApplicationScoped
public class OutboxWriter {

    /** The CloudEvents {@code source} of everything registry-api emits. */
    static final String SOURCE = "/berth/registry-api";

    private final DataSource db;
    private final ObjectMapper json;

    public OutboxWriter(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Adds an event of {@code type} to the outbox, keyed by {@code key} (the repository, so
     * one repository's events stay in order on their topic).
     *
     * @return the event id
     * @throws MetadataUnavailableException if the row cannot be written
     */
    public UUID write(EventType type, String key, Object data) {
        UUID id = UUID.randomUUID();
        String payload = envelope(type, id, key, data, Instant.now().toString());
        try (Connection c = db.getConnection()) {
            OutboxRows.insert(c, type, id, key, payload);
            return id;
        } catch (SQLException e) {
            throw new MetadataUnavailableException("could not write outbox event: " + e.getMessage(), e);
        }
    }

    /** One event of a {@link #writeAll} batch: its key (the repository) and its data. */
    public record Keyed(String key, Object data) {}

    /**
     * Adds many events of {@code type} in one statement, in list order, each with its own id
     * and the same envelope as {@link #write}. For high-volume events (pulls) that are
     * collected in memory and written in batches.
     *
     * @throws MetadataUnavailableException if the rows cannot be written (then none are)
     */
    public void writeAll(EventType type, List<Keyed> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[] ids = new String[n];
        String[] keys = new String[n];
        String[] payloads = new String[n];
        String time = Instant.now().toString();
        for (int i = 0; i < n; i++) {
            Keyed e = events.get(i);
            UUID id = UUID.randomUUID();
            ids[i] = id.toString();
            keys[i] = e.key();
            payloads[i] = envelope(type, id, e.key(), e.data(), time);
        }
        // Arrays rather than one VALUES tuple per row: the statement text is the same for every
        // batch size, and no batch can exceed the protocol's limit of 65,535 parameters.
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                SELECT e.id::uuid, ?, e.key, ?, e.payload::jsonb
                FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS e(id, key, payload, n)
                ORDER BY e.n""")) {
            ps.setString(1, type.topic());
            ps.setString(2, type.wire());
            ps.setArray(3, c.createArrayOf("text", ids));
            ps.setArray(4, c.createArrayOf("text", keys));
            ps.setArray(5, c.createArrayOf("text", payloads));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new MetadataUnavailableException("could not write outbox events: " + e.getMessage(), e);
        }
    }

    /** The CloudEvents 1.0 structured-mode envelope around {@code data}, as JSON text. */
    private String envelope(EventType type, UUID id, String key, Object data, String time) {
        return CloudEvents.envelope(json, type, id, SOURCE, key, data, time);
    }
}
