package io.berth.registry.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.events.EventType;
import io.berth.registry.metadata.MetadataUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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
        ObjectNode envelope = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id.toString())
                .put("source", SOURCE)
                .put("type", type.wire())
                .put("subject", key)
                .put("time", Instant.now().toString())
                .put("datacontenttype", "application/json");
        envelope.set("data", json.valueToTree(data));
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                VALUES (?, ?, ?, ?, ?::jsonb)""")) {
            ps.setObject(1, id);
            ps.setString(2, type.topic());
            ps.setString(3, key);
            ps.setString(4, type.wire());
            ps.setString(5, envelope.toString());
            ps.executeUpdate();
            return id;
        } catch (SQLException e) {
            throw new MetadataUnavailableException("could not write outbox event: " + e.getMessage(), e);
        }
    }
}
