package io.berth.auth.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.ClientAddress;
import io.berth.events.CloudEvents;
import io.berth.events.EventType;
import io.berth.events.OutboxRows;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final Instance<CurrentVertxRequest> http;

    public AuditOutbox(DataSource db, ObjectMapper json, Instance<CurrentVertxRequest> http) {
        this.db = db;
        this.json = json;
        this.http = http;
    }

    /**
     * Adds an event of {@code type} about {@code subject} (its Kafka key).
     *
     * @throws IllegalStateException if the row cannot be written
     */
    public UUID write(EventType type, String subject, Object data) {
        UUID id = UUID.randomUUID();
        if (data instanceof Map<?, ?> fields && !fields.containsKey("clientIp") && clientIp() != null) {
            Map<Object, Object> withAddress = new LinkedHashMap<>(fields);
            withAddress.put("clientIp", clientIp());
            data = withAddress;
        }
        String payload = CloudEvents.envelope(json, type, id, SOURCE, subject, data, Instant.now().toString());
        try (Connection c = db.getConnection()) {
            OutboxRows.insert(c, type, id, subject, payload);
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write audit event " + type.wire() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address of the client of the current request, if there is one: the first
     * {@code X-Forwarded-For} address, which the gateway sets, else the connection's peer.
     */
    private String clientIp() {
        RoutingContext current = Arc.container().requestContext().isActive() ? http.get().getCurrent() : null;
        if (current == null) {
            return null; // not an HTTP request (a test, a scheduled task)
        }
        var request = current.request();
        return ClientAddress.of(request.getHeader("X-Forwarded-For"),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
    }
}
