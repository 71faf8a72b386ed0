package io.berth.gc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.metadata.GcRun;
import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.RegistryFixture.Blob;
import io.berth.gc.support.Runs;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What starts runs besides a person: the cron schedule, and marks whose grace has passed. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class GcSchedulerTest {

    @Inject
    GcScheduler scheduler;

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @AfterEach
    void noSchedule() {
        new RegistryFixture(db, store).update("UPDATE gc_schedule SET cron = NULL WHERE id = 1");
    }

    @Test
    void theScheduleFiresOncePerTimeItNamesWhicheverReplicaTicks() {
        RegistryFixture registry = new RegistryFixture(db, store);
        registry.update("UPDATE gc_schedule SET cron = '* * * * *', dry_run = true, delete_untagged = true,"
                + " grace_seconds = 5, orphans = true, last_fired_at = now() - interval '2 minutes', updated_by = 'ops' WHERE id = 1");

        Optional<GcRun> fired = scheduler.scheduled(Instant.now());
        assertTrue(fired.isPresent(), "a minute has passed since it last fired");
        assertEquals("schedule", fired.get().trigger());
        assertTrue(fired.get().dryRun() && fired.get().deleteUntagged());
        assertEquals(5, fired.get().graceSeconds());
        assertTrue(fired.get().orphans());
        assertEquals("ops", fired.get().requestedBy());
        assertFalse(scheduler.scheduled(Instant.now()).isPresent(), "that firing is taken; the next is a minute on");
        assertEquals("succeeded", Runs.awaitEnd(fired.get().id()).getString("status"));

        registry.update("UPDATE gc_schedule SET cron = NULL WHERE id = 1");
        registry.update("UPDATE gc_schedule SET last_fired_at = now() - interval '1 day' WHERE id = 1");
        assertFalse(scheduler.scheduled(Instant.now()).isPresent(), "no schedule, no run");
    }

    @Test
    void aDeletionHeardOnKafkaMarksWhatItLeftUnreferenced() throws Exception {
        RegistryFixture registry = new RegistryFixture(db, store);
        long project = registry.project("heard");
        long repo = registry.repository(project, "app");
        Blob b = registry.blob(repo, false, 123);
        RegistryFixture.Manifest m = registry.manifest(repo, List.of(b), List.of(), null, null, Instant.now());
        registry.deleteManifest(m);
        String sql = "SELECT count(*) FROM gc_marks WHERE digest = ?";
        assertEquals(0, registry.number(sql, b.digest()));

        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:9092");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (var producer = new KafkaProducer<String, String>(props)) {
            producer.send(new ProducerRecord<>("berth.artifacts", "x/app", "{\"type\":\"io.berth.artifact.pushed.v1\"}")).get();
            producer.send(new ProducerRecord<>("berth.artifacts", "x/app", "not json")).get();
            producer.send(new ProducerRecord<>("berth.artifacts", "x/app",
                    "{\"specversion\":\"1.0\",\"type\":\"io.berth.artifact.deleted.v1\",\"data\":{\"digest\":\""
                            + m.digest() + "\"}}")).get();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (registry.number(sql, b.digest()) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(2, registry.number(sql, b.digest()), "the link and the blob are marked");
    }

    @Test
    void marksWhoseGraceHasPassedStartASweep() {
        RegistryFixture registry = new RegistryFixture(db, store);
        Runs.run("{\"graceSeconds\":0,\"deleteUntagged\":true}");
        assertFalse(scheduler.due(Instant.now()).isPresent(), "nothing marked, nothing due");

        long project = registry.project("due");
        long repo = registry.repository(project, "app");
        Blob b = registry.blob(repo, false, 321);
        registry.deleteManifest(registry.manifest(repo, List.of(b), List.of(), null, null, Instant.now()));
        Runs.run("{\"graceSeconds\":7200}");
        assertFalse(scheduler.due(Instant.now()).isPresent(), "marked just now: not due for two hours");

        registry.update("UPDATE gc_marks SET first_seen_at = now() - interval '3 hours' WHERE digest = ?", b.digest());
        Optional<GcRun> sweep = scheduler.due(Instant.now());
        assertTrue(sweep.isPresent());
        assertEquals("event", sweep.get().trigger());
        JsonPath run = Runs.awaitEnd(sweep.get().id());
        assertEquals(1, run.getLong("blobsDeleted"));
        assertFalse(registry.blobRow(b) || registry.stored(b.objectId()));
    }
}
