package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.member;
import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.sql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.service.AuditRetention;
import io.berth.events.CloudEvents;
import io.berth.events.EventType;
import io.berth.events.relay.KafkaSink;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The audit log end to end: events put on the real Kafka become entries once each, can be
 * filtered and paged, are shown to system administrators and to a project's admins only, a
 * message that is not an event goes to the dead-letter topic without stalling the rest, and old
 * entries are purged.
 */
@QuarkusTest
class AuditLogTest {

    private static final String KAFKA = "127.0.0.1:9092";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AuditRetention retention;

    private static String event(EventType type, UUID id, String subject, Map<String, Object> data, Instant time) {
        return CloudEvents.envelope(JSON, type, id, "/berth/test", subject, data, time.toString());
    }

    /** Publishes as the outbox relay does (its KafkaSink: structured CloudEvents, with headers). */
    private static void publish(String topic, String key, String... values) throws Exception {
        try (var sink = new KafkaSink(KAFKA, Duration.ofSeconds(20), Map.of())) {
            for (String v : values) {
                sink.send(topic, key, UUID.randomUUID().toString(), v).get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static long entries(UUID id) throws SQLException {
        try (var c = DriverManager.getConnection(Fixtures.DB, "berth", "berth");
                var ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE event_id = ?")) {
            ps.setObject(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Waits (at most 60 s) until the audit log has an entry for every one of {@code ids}. */
    private static void awaitEntries(UUID... ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (UUID id : ids) {
            while (entries(id) == 0) {
                assertTrue(System.nanoTime() < deadline, "event " + id + " did not reach the audit log");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void eventsBecomeEntriesThatCanBeFilteredAndPaged() throws Exception {
        String p = project(false);
        String q = project(false);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            values.add(event(EventType.ARTIFACT_PUSHED, id, p + "/app", Map.of("project", p, "repository", p + "/app",
                    "tag", "v" + i, "actor", i % 2 == 0 ? "developer" : "robot$" + p + "+ci", "clientIp", "203.0.113.9"),
                    t0.plusSeconds(i)));
        }
        publish("berth.artifacts", p + "/app", values.toArray(String[]::new));
        UUID other = UUID.randomUUID();
        publish("berth.audit", q, event(EventType.PROJECT_UPDATED, other, q, Map.of("project", q, "actor", "admin"), t0));
        awaitEntries(ids.toArray(UUID[]::new));
        awaitEntries(other);

        var admin = given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
        admin.queryParam("project", p).when().get("/api/v1/audit-logs").then().statusCode(200)
                .header("X-Total-Count", "5").body("$", hasSize(5)).body("project", everyItem(equalTo(p)))
                .body("[0].data.tag", equalTo("v4")).body("[0].clientIp", equalTo("203.0.113.9"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("project", p).queryParam("user", "developer")
                .when().get("/api/v1/audit-logs").then().statusCode(200).header("X-Total-Count", "3");
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("project", p)
                .queryParam("from", t0.plusSeconds(1).toString()).queryParam("to", t0.plusSeconds(3).toString())
                .when().get("/api/v1/audit-logs").then().statusCode(200).body("data.tag", equalTo(List.of("v2", "v1")));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("project", p)
                .queryParam("page", 2).queryParam("page_size", 2)
                .when().get("/api/v1/audit-logs").then().statusCode(200).header("X-Total-Count", "5")
                .body("data.tag", equalTo(List.of("v2", "v1")));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("type", EventType.PROJECT_UPDATED.wire())
                .queryParam("project", q).when().get("/api/v1/audit-logs").then().statusCode(200)
                .body("type", everyItem(equalTo(EventType.PROJECT_UPDATED.wire()))).body("user", equalTo(List.of("admin")));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("page_size", 1000)
                .when().get("/api/v1/audit-logs").then().statusCode(400);
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("from", "yesterday")
                .when().get("/api/v1/audit-logs").then().statusCode(400);
    }

    @Test
    void scanEventsFromBerthScansAreKeptToo() throws Exception {
        String p = project(false);
        UUID id = UUID.randomUUID();
        publish("berth.scans", p + "/app", event(EventType.SCAN_COMPLETED, id, p + "/app", Map.of("project", p,
                "repository", p + "/app", "digest", "sha256:" + "ab".repeat(32), "scanner", "berth"), Instant.now()));
        awaitEntries(id);
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("project", p)
                .queryParam("type", EventType.SCAN_COMPLETED.wire()).when().get("/api/v1/audit-logs").then()
                .statusCode(200).header("X-Total-Count", "1").body("[0].data.scanner", equalTo("berth"));
    }

    @Test
    void aProjectAdminSeesTheirProjectsEntriesAndNothingElse() throws Exception {
        String mine = project(false);
        String theirs = project(false);
        member(mine, "user", "developer", "projectAdmin");
        member(theirs, "user", "developer", "developer");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant now = Instant.now();
        publish("berth.audit", mine, event(EventType.MEMBER_CREATED, a, mine, Map.of("project", mine, "actor", "admin"), now));
        publish("berth.audit", theirs, event(EventType.MEMBER_CREATED, b, theirs, Map.of("project", theirs, "actor", "admin"), now));
        awaitEntries(a, b);

        var developer = given().auth().preemptive().basic("developer", "berth-dev");
        List<String> projects = developer.queryParam("page_size", 100).when().get("/api/v1/audit-logs")
                .then().statusCode(200).extract().path("project");
        assertTrue(projects.contains(mine), projects.toString());
        assertTrue(!projects.contains(theirs) && !projects.contains(null), projects.toString());
        given().auth().preemptive().basic("developer", "berth-dev").queryParam("project", theirs)
                .when().get("/api/v1/audit-logs").then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("project", theirs)
                .when().get("/api/v1/audit-logs").then().statusCode(200).header("X-Total-Count", "1");
        given().when().get("/api/v1/audit-logs").then().statusCode(401);
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() throws Exception {
        String key = "redelivered-" + System.nanoTime();
        UUID id = UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        String value = event(EventType.PROJECT_CREATED, id, key, Map.of("project", key), Instant.now());
        // The same event three times (a relay that sent it again, a consumer that read it again),
        // then a marker behind it on the same key, so in the same partition.
        publish("berth.audit", key, value, value, value,
                event(EventType.PROJECT_DELETED, marker, key, Map.of("project", key), Instant.now()));
        awaitEntries(marker);
        assertEquals(1, entries(id));
    }

    @Test
    void aMessageThatIsNotAnEventGoesToTheDeadLetterTopicAndTheNextIsRead() throws Exception {
        String key = "poison-" + System.nanoTime();
        String poison = "{this is not json " + key;
        UUID after = UUID.randomUUID();
        publish("berth.audit", key, poison, "{\"type\": \"io.berth.project.created.v1\", \"id\": \"not-a-uuid\"}",
                event(EventType.PROJECT_CREATED, after, key, Map.of("project", key), Instant.now()));
        awaitEntries(after);

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        boolean found = false;
        try (var consumer = new KafkaConsumer<String, String>(p)) {
            consumer.subscribe(List.of("berth.dead-letter"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!found && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    found |= poison.equals(r.value());
                }
            }
        }
        assertTrue(found, "the poison message is not on berth.dead-letter");
    }

    @Test
    void entriesOlderThanTheRetentionArePurged() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        sql("INSERT INTO audit_log (event_id, event_type, occurred_at, subject, data) VALUES ('" + old
                + "', 'io.berth.test.v1', now() - interval '100 days', 'x', '{}'), ('" + recent
                + "', 'io.berth.test.v1', now() - interval '1 day', 'x', '{}')");
        assertTrue(retention.purge() >= 1);
        assertEquals(0, entries(old));
        assertEquals(1, entries(recent));
    }
}
