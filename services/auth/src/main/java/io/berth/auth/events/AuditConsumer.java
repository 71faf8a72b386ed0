package io.berth.auth.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.metadata.AuditLogRepository;
import io.berth.auth.metadata.AuditLogRepository.Entry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Writes every event of {@code berth.audit}, {@code berth.artifacts} and {@code berth.scans} into the audit log.
 * Idempotent by event id: an event Kafka delivers again (a consumer restarted before its offset
 * was committed, a relay that sent a row twice) is written once. A message that is not a berth
 * CloudEvent (no id, no type, no time, not JSON) is refused, which sends it to the dead-letter
 * topic ({@code mp.messaging.incoming.audit-in.dead-letter-queue.topic}) without stopping the
 * messages after it.
 */
@ApplicationScoped
public class AuditConsumer {

    private final AuditLogRepository log;
    private final ObjectMapper json;

    public AuditConsumer(AuditLogRepository log, ObjectMapper json) {
        this.log = log;
        this.json = json;
    }

    @Incoming("audit-in")
    @Blocking
    public void receive(String value) {
        log.insert(parse(value));
    }

    /**
     * The audit entry of one CloudEvents envelope.
     *
     * @throws IllegalArgumentException if it is not a berth event
     */
    Entry parse(String value) {
        JsonNode e;
        try {
            e = json.readTree(value);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage());
        }
        if (e == null || !e.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = e.path("type").asText("");
        if (!type.startsWith("io.berth.")) {
            throw new IllegalArgumentException("not a berth event type: '" + type + "'");
        }
        UUID id;
        Instant time;
        try {
            id = UUID.fromString(e.path("id").asText(""));
            time = Instant.parse(e.path("time").asText(""));
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            throw new IllegalArgumentException("an event needs a UUID id and an ISO-8601 time: " + ex.getMessage());
        }
        JsonNode data = e.path("data");
        String subject = e.path("subject").asText("");
        return new Entry(0, id, type, time, project(data), text(data, "actor", "account"),
                text(data, "clientIp", "address"), subject, data.isMissingNode() ? "{}" : data.toString());
    }

    /** The project an event concerns: named in its data, or the one a project robot belongs to. */
    private static String project(JsonNode data) {
        String project = text(data, "project");
        if (project != null) {
            return project;
        }
        String robot = text(data, "robot");
        if (robot != null && robot.startsWith("robot$") && robot.contains("+")) {
            return robot.substring(6, robot.indexOf('+'));
        }
        return null;
    }

    private static String text(JsonNode data, String... fields) {
        for (String f : fields) {
            JsonNode v = data.get(f);
            if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return null;
    }
}
