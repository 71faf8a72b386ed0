package io.berth.scanner.flow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.events.EventType;
import io.berth.events.Topics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code scan.completed} and {@code scan.failed} events on {@code berth.scans}
 * (docs/events.md), written into the outbox on the connection of the transaction that ends the
 * job and writes its report, so an event exists exactly when its report was committed. Keyed by
 * the repository, as {@code berth.artifacts} is; scanner-bridge's relay publishes them.
 */
final class ScanEvents {

    /** The CloudEvents {@code source} of scanner-bridge's events. */
    static final String SOURCE = "/berth/scanner-bridge";
    static final String COMPLETED = EventType.SCAN_COMPLETED.wire();
    static final String FAILED = EventType.SCAN_FAILED.wire();

    /**
     * The {@code data} of both events.
     *
     * @param scanner the scanner's name
     * @param trigger what asked for the scan (push, manual, project, all, rescan)
     * @param summary the report's counts; absent on {@code scan.failed}
     * @param warnings how many warnings the report has
     * @param error why the scan failed; only on {@code scan.failed}
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ScanEventData(String project, String repository, String digest, String mediaType, String scanner,
            String trigger, Map<String, Integer> summary, Long vulndbImportId, Integer warnings, String error) {}

    private ScanEvents() {}

    static void write(Connection c, ObjectMapper json, String type, ScanEventData data) throws SQLException {
        UUID id = UUID.randomUUID();
        ObjectNode envelope = json.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id.toString())
                .put("source", SOURCE)
                .put("type", type)
                .put("subject", data.repository())
                .put("time", Instant.now().toString())
                .put("datacontenttype", "application/json");
        envelope.set("data", json.valueToTree(data));
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                VALUES (?, ?, ?, ?, ?::jsonb)""")) {
            ps.setObject(1, id);
            ps.setString(2, Topics.SCANS);
            ps.setString(3, data.repository());
            ps.setString(4, type);
            ps.setString(5, envelope.toString());
            ps.executeUpdate();
        }
    }
}
