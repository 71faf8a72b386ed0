package io.berth.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The one statement that puts an event into the shared {@code outbox} table, for every service
 * that writes events. It runs on the caller's connection, so the event commits with the change it
 * describes (or with nothing, if that rolls back).
 */
public final class OutboxRows {

    private OutboxRows() {}

    /**
     * Inserts one event row: {@code payload} is its CloudEvents envelope ({@link CloudEvents}),
     * {@code key} its Kafka key.
     *
     * @throws SQLException if the row cannot be written
     */
    public static void insert(Connection c, EventType type, UUID id, String key, String payload) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                VALUES (?, ?, ?, ?, ?::jsonb)""")) {
            ps.setObject(1, id);
            ps.setString(2, type.topic());
            ps.setString(3, key);
            ps.setString(4, type.wire());
            ps.setString(5, payload);
            ps.executeUpdate();
        }
    }
}
