package io.berth.registry.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The service's own relay: on, it publishes what is committed, and reports its backlog. */
@QuarkusTest
@TestProfile(RelayRunnerTest.RelayOn.class)
class RelayRunnerTest {

    public static class RelayOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.outbox.relay.enabled", "true");
        }
    }

    @Inject
    DataSource db;

    @Test
    void aCommittedRowIsPublishedByTheServiceRelay() throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                VALUES (?, 'relay-runner-test', 'team/app', 'io.berth.test.v1', '{}'::jsonb)""")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
        boolean published = false;
        for (int i = 0; i < 300 && !published; i++) {
            try (Connection c = db.getConnection();
                    var ps = c.prepareStatement("SELECT published_at IS NOT NULL FROM outbox WHERE event_id = ?")) {
                ps.setObject(1, id);
                try (var rs = ps.executeQuery()) {
                    published = rs.next() && rs.getBoolean(1);
                }
            }
            if (!published) {
                Thread.sleep(100);
            }
        }
        assertTrue(published, "the row was not published within 30 s");
        given().header(TestTokens.ANONYMOUS, "1").header("Accept", "text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("berth_outbox_pending_rows"))
                .body(containsString("berth_outbox_oldest_pending_seconds"))
                .body(containsString("berth_outbox_relay_slots"))
                .body(containsString("berth_outbox_publish_latency_seconds{quantile=\"0.99\""));
    }
}
