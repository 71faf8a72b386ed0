package io.berth.auth.events;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.EventType;
import io.berth.events.relay.RelayRunner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * auth runs the outbox relay of libs/events itself: its audit events reach Kafka, and come back
 * into its audit log through its consumer, with no registry-api running (none runs in this
 * JVM, and the service relays of registry-api's tests are off).
 */
@QuarkusTest
@TestProfile(OutboxRelayInAuthTest.RelayOn.class)
class OutboxRelayInAuthTest {

    public static class RelayOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.outbox.relay.enabled", "true", "berth.outbox.relay.heartbeat", "PT0.2S");
        }
    }

    @Inject
    DataSource db;

    @Inject
    RelayRunner runner;

    @Test
    void anAuditEventOfAuthReachesKafkaThroughAuthsOwnRelay() throws Exception {
        assertNotNull(runner.relay(), "berth.outbox.relay.enabled=true started no relay in auth");
        String project = "relay-in-auth-" + System.nanoTime();
        given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON)
                .body(Map.of("name", project)).when().post("/api/v1/projects").then().statusCode(201);

        // Published (Kafka acknowledged it), then read back from Kafka by auth's audit consumer.
        assertTrue(eventually(() -> count("""
                SELECT count(*) FROM outbox WHERE event_type = ? AND event_key = ? AND published_at IS NOT NULL""",
                project) == 1), "auth's relay did not publish the project.created event within 30 s");
        assertTrue(eventually(() -> count("SELECT count(*) FROM audit_log WHERE event_type = ? AND subject = ?",
                project) == 1), "the event did not come back from Kafka into the audit log within 30 s");
        assertFalse(runner.relay().slots().isEmpty(), "auth's relay holds no slot");
        given().header("Accept", "text/plain").when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("berth_outbox_relay_slots"));
    }

    private long count(String sql, String key) throws SQLException {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, EventType.PROJECT_CREATED.wire());
            ps.setString(2, key);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static boolean eventually(Check check) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(100);
        }
        return check.holds();
    }
}
