package io.berth.auth.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.CloudEvents;
import io.berth.events.EventType;
import io.berth.events.OutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes auth's audit events into the shared {@code outbox} table, from which the relay (issue
 * #6) publishes them to {@code berth.audit}. The envelope is the same CloudEvents one
 * registry-api writes.
 */
@ApplicationScoped
public class AuditOutbox {

    /** The CloudEvents {@code source} of everything auth emits. */
    static final String SOURCE = "/berth/auth";

    private final DataSource db;
    private final ObjectMapper json;

    public AuditOutbox(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Adds an event of {@code type} about {@code subject} (its Kafka key).
     *
     * @throws IllegalStateException if the row cannot be written
     */
    public UUID write(EventType type, String subject, Object data) {
        UUID id = UUID.randomUUID();
        String payload = CloudEvents.envelope(json, type, id, SOURCE, subject, data, Instant.now().toString());
        try (Connection c = db.getConnection()) {
            OutboxRows.insert(c, type, id, subject, payload);
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write audit event " + type.wire() + ": " + e.getMessage(), e);
        }
    }
}
