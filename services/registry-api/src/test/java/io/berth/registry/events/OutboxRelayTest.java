package io.berth.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.relay.KafkaSink;
import io.berth.events.relay.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay against the real PostgreSQL and Kafka: every row reaches Kafka in commit
 * order per key and is marked; two relays never hold the same slot; rows wait while Kafka is
 * unreachable; published rows are pruned; relays share the slots evenly and take over those of
 * a relay that stopped, crashed or hung. (The service's own relay is off in tests, so these
 * relays are the only ones.)
 */
@QuarkusTest
class OutboxRelayTest {

    private static final OutboxRelay.Settings QUICK = new OutboxRelay.Settings(500, Duration.ofMillis(200),
            Duration.ofSeconds(20), Duration.ofMillis(200));

    @Inject
    DataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void everyRowReachesKafkaInOrderPerKeyAndIsMarked() throws Exception {
        String topic = "relay-test-" + System.nanoTime();
        List<String> keys = List.of("team/app", "team/web", "other/db");
        for (int seq = 0; seq < 20; seq++) {
            for (String key : keys) {
                insert(topic, key, seq);
            }
        }
        try (var relay = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), QUICK)) {
            drain(relay);
            assertEquals(OutboxRelay.SLOTS, relay.slots().size(), "a lone relay holds every slot");
        }
        assertEquals(0, pending(topic), "rows of " + topic + " left unmarked");

        Map<String, List<Integer>> seen = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : consume(topic, 60)) {
            seen.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(r.value().replaceAll(".*\"seq\": ?(\\d+).*", "$1")));
            assertTrue(r.headers().lastHeader("ce_id") != null, "no ce_id header");
            assertEquals("application/cloudevents+json",
                    new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
        }
        for (String key : keys) {
            List<Integer> expected = new ArrayList<>();
            for (int seq = 0; seq < 20; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, seen.get(key), "the events of " + key + " in the order they were committed");
        }
    }

    @Test
    void twoRelaysShareTheSlotsEvenlyAndNeverTheSameOne() throws Exception {
        try (var first = relay(); var second = relay()) {
            drain(first);
            assertEquals(OutboxRelay.SLOTS, first.slots().size(), "alone, the first relay holds every slot");
            second.relayOnce();
            assertEquals(List.of(), second.slots(), "the second relay took a slot the first holds");
            first.relayOnce(); // sees two live relays: keeps its half, lets the rest go
            second.relayOnce(); // takes them
            assertEquals(2, first.liveRelays());
            assertEquals(OutboxRelay.SLOTS / 2, first.slots().size());
            assertEquals(OutboxRelay.SLOTS / 2, second.slots().size());
            Set<Integer> all = new TreeSet<>(first.slots());
            all.addAll(second.slots());
            assertEquals(OutboxRelay.SLOTS, all.size(), "a slot both hold, or one nobody holds");
        }
    }

    @Test
    void theSlotsOfAStoppedRelayGoToTheOtherAtItsNextRound() throws Exception {
        try (var first = relay(); var second = relay()) {
            share(first, second);
            String topic = "relay-takeover-" + System.nanoTime();
            first.close();
            for (int seq = 0; seq < 16; seq++) {
                insert(topic, "key-" + seq, seq); // keys over many slots, some of them the first's
            }
            drain(second);
            assertEquals(OutboxRelay.SLOTS, second.slots().size(), "the slots of a closed relay are taken over");
            assertEquals(1, second.liveRelays());
            assertEquals(0, pending(topic));
            assertEquals(16, consume(topic, 16).size());
        }
    }

    @Test
    void aCrashedRelaysSlotsGoToTheOther() throws Exception {
        try (var first = relay(); var second = relay()) {
            share(first, second);
            // As if its process had died: its session ends, and with it its locks.
            try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                    "SELECT pg_terminate_backend(backend_pid) FROM outbox_relays WHERE relay_id = ?")) {
                ps.setObject(1, first.id());
                ps.executeQuery().close();
            }
            assertEquals(OutboxRelay.SLOTS, roundsUntilAllSlots(second), "the crashed relay's slots were not taken");
            assertEquals(1, second.liveRelays(), "a relay whose session is gone still counts as live");
        }
    }

    @Test
    void aHungRelayIsEndedOnceItsHeartbeatIsStaleAndItsSlotsTaken() throws Exception {
        try (var first = relay(); var second = relay()) {
            share(first, second);
            // As if it had frozen with its session open: its heartbeat grows old, its locks stay.
            try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                    "UPDATE outbox_relays SET heartbeat_at = now() - interval '1 hour' WHERE relay_id = ?")) {
                ps.setObject(1, first.id());
                assertEquals(1, ps.executeUpdate());
            }
            assertEquals(OutboxRelay.SLOTS, roundsUntilAllSlots(second), "the hung relay's slots were not taken");
            // It wakes up: its session is gone, its round fails, and it rejoins on a new one.
            assertThrows(SQLException.class, first::relayOnce);
        }
    }

    @Test
    void twoRunningRelaysSplitTheSlotsAndOneTakesOverWithinTheBound() throws Exception {
        var running = new OutboxRelay.Settings(500, Duration.ofMillis(100), Duration.ofSeconds(20),
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(30));
        try (var first = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), running);
                var second = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), running)) {
            first.start("test-relay-1");
            second.start("test-relay-2");
            assertTrue(eventually(() -> first.slots().size() == OutboxRelay.SLOTS / 2
                    && second.slots().size() == OutboxRelay.SLOTS / 2), "the running relays did not split the slots: "
                    + first.slots() + " and " + second.slots());
            first.close();
            // The bound: one heartbeat and one poll; 5 s leaves room for a slow machine.
            assertTrue(eventually(() -> second.slots().size() == OutboxRelay.SLOTS),
                    "the slots of the stopped relay were not taken over within 5 s: " + second.slots());
        }
    }

    /** A relay that rebalances every round. */
    private OutboxRelay relay() {
        return new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), new OutboxRelay.Settings(500,
                Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofMillis(200), Duration.ZERO, Duration.ofSeconds(30)));
    }

    /** Rounds of both until they hold half the slots each. */
    private static void share(OutboxRelay first, OutboxRelay second) throws SQLException {
        first.relayOnce();
        second.relayOnce();
        first.relayOnce();
        second.relayOnce();
        assertEquals(OutboxRelay.SLOTS / 2, second.slots().size(), "the relays did not share the slots");
    }

    /** Rounds of {@code relay} (a session that was ended frees its locks a moment later) for at most 5 s. */
    private static int roundsUntilAllSlots(OutboxRelay relay) throws Exception {
        for (int i = 0; i < 50 && relay.slots().size() < OutboxRelay.SLOTS; i++) {
            relay.relayOnce();
            Thread.sleep(100);
        }
        return relay.slots().size();
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @Test
    void whileKafkaCannotBeReachedRowsWaitAndNothingIsLost() throws Exception {
        String topic = "relay-down-" + System.nanoTime();
        insert(topic, "team/app", 0);
        insert(topic, "team/app", 1);
        var nowhere = new KafkaSink("127.0.0.1:1", Duration.ofSeconds(2), Map.of("reconnect.backoff.max.ms", 200));
        try (var relay = new OutboxRelay(db, nowhere, new OutboxRelay.Settings(500, Duration.ofMillis(200),
                Duration.ofSeconds(4), Duration.ofMillis(200)))) {
            assertThrows(IllegalStateException.class, relay::relayOnce);
        }
        assertEquals(2, pending(topic), "a row was marked published that Kafka never took");
        try (var relay = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), QUICK)) {
            drain(relay);
        }
        assertEquals(0, pending(topic));
        assertEquals(2, consume(topic, 2).size());
    }

    @Test
    void aRowSentButNeverMarkedIsSentAgainWithTheSameEventId() throws Exception {
        String topic = "relay-again-" + System.nanoTime();
        insert(topic, "team/app", 0);
        try (var relay = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), QUICK)) {
            drain(relay);
            // As if the relay had died after Kafka took the row and before it marked it.
            try (Connection c = db.getConnection(); var s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE outbox SET published_at = NULL WHERE topic = '" + topic + "'"));
            }
            drain(relay);
        }
        var records = consume(topic, 2);
        assertEquals(2, records.size(), "sent once more");
        assertEquals(new String(records.get(0).headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8),
                new String(records.get(1).headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8),
                "the copy carries the same event id, by which consumers drop it");
        assertEquals(records.get(0).value(), records.get(1).value());
    }

    @Test
    void publishedRowsArePrunedAfterTheirTime() throws Exception {
        String topic = "relay-prune-" + System.nanoTime();
        insert(topic, "team/app", 0);
        insert(topic, "team/app", 1);
        insert(topic, "team/app", 2);
        try (Connection c = db.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox SET published_at = now() - interval '2 hours' WHERE topic = '" + topic
                    + "' AND payload->>'seq' = '0'");
            s.executeUpdate("UPDATE outbox SET published_at = now() WHERE topic = '" + topic + "' AND payload->>'seq' = '1'");
        }
        try (var relay = new OutboxRelay(db, new KafkaSink(kafka, Duration.ofSeconds(20), Map.of()), QUICK)) {
            assertTrue(relay.prune(Duration.ofHours(1), 100_000) >= 1);
        }
        try (Connection c = db.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT payload->>'seq' FROM outbox WHERE topic = '" + topic + "' ORDER BY id")) {
            List<String> left = new ArrayList<>();
            while (rs.next()) {
                left.add(rs.getString(1));
            }
            assertEquals(List.of("1", "2"), left, "only the row published long ago goes; unpublished rows stay");
        }
    }

    /** Relays until a round finds nothing (leftover rows of other tests go out too). */
    private static void drain(OutboxRelay relay) throws SQLException {
        for (int rounds = 0; rounds < 10_000 && relay.relayOnce() > 0; rounds++) {
            // keep going
        }
    }

    private void insert(String topic, String key, int seq) throws SQLException {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, event_type, payload)
                VALUES (?, ?, ?, 'io.berth.test.v1', ?::jsonb)""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, topic);
            ps.setString(3, key);
            ps.setString(4, "{\"seq\": " + seq + "}");
            ps.executeUpdate();
        }
    }

    private long pending(String topic) throws SQLException {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE topic = ? AND published_at IS NULL")) {
            ps.setString(1, topic);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The first {@code count} records of {@code topic}, read from its beginning (at most 30 s). */
    private List<ConsumerRecord<String, String>> consume(String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
