package io.berth.replicator.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.EndpointSpec;
import io.berth.replicator.endpoints.EndpointType;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.support.Distribution;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event trigger against real Kafka, PostgreSQL and docker-registry instances: one standing in
 * for this berth ({@link LocalBerth}), one for the remote.
 */
@QuarkusTest
@QuarkusTestResource(LocalBerth.class)
class EventTriggerTest extends EngineTest {

    private static final String PUSHED = "io.berth.artifact.pushed.v1";

    @Inject
    MeterRegistry meters;

    /** Images only: an untagged push (a referrer, an index's child) is not replicated on its own. */
    private static String filters(String project) {
        return "{\"repositories\":[\"" + project + "/**\"],\"tags\":{\"include\":[\"v*\"]},\"kinds\":[\"images\"]}";
    }

    @Test
    void aPushReplicatesWithinSecondsAndRecordsItsLag() throws Exception {
        String project = Fixture.unique("ev");
        String repo = project + "/app";
        long policy = fx.policy("push", fx.endpoint(remote.url(), null, null), "event_based", filters(project), true,
                false, null);
        Digest digest = Images.push(local, repo, "v1");
        Instant pushed = Instant.now();
        Events.send(repo, Events.event(Events.newId(), PUSHED, repo, digest.toString(), "v1", pushed));

        long execution = fx.awaitExecutionOf(policy, Duration.ofSeconds(10));
        Map<String, Object> e = fx.await(execution, x -> x.get("ended_at") != null, Duration.ofSeconds(10));
        assertEquals("succeeded", e.get("status"), e.toString());
        assertEquals("event_based", e.get("trigger"));
        List<Map<String, Object>> tasks = fx.tasks(execution);
        assertEquals(1, tasks.size());
        assertNotNull(tasks.get(0).get("source_time"));
        assertEquals(project, tasks.get(0).get("local_project"));
        assertTrue((Long) tasks.get(0).get("bytes") > 0);
        assertEquals(digest, remoteClient.headManifest(repo, "v1").orElseThrow().digest());
        String name = (String) fx.rows("SELECT name FROM replication_policies WHERE id = ?", policy).get(0).get("name");
        Timer lag = meters.find("berth.replication.lag").tag("policy", name).timer();
        assertNotNull(lag, "the lag histogram of the policy");
        assertEquals(1, lag.count());
        assertTrue(lag.totalTime(java.util.concurrent.TimeUnit.SECONDS) < 10, "lag " + lag.totalTime(
                java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1.0, meters.find("berth.replication.tasks").tag("policy", name).tag("status", "succeeded")
                .counter().count());
        assertEquals((Long) tasks.get(0).get("bytes"), (long) meters.find("berth.replication.bytes")
                .tag("policy", name).counter().count());
    }

    @Test
    void aRedeliveredEventMakesNoSecondExecutionAndUnmatchedEventsNone() throws Exception {
        String project = Fixture.unique("ev");
        String repo = project + "/app";
        long policy = fx.policy("push", fx.endpoint(remote.url(), null, null), "event_based", filters(project), true,
                false, null);
        Digest d1 = Images.push(local, repo, "v1");
        Digest d2 = Images.push(local, repo, "v2");
        String first = Events.event(Events.newId(), PUSHED, repo, d1.toString(), "v1", Instant.now());
        Events.send(repo, first, first,
                Events.event(Events.newId(), PUSHED, repo, d1.toString(), "latest", Instant.now()), // tag not matched
                Events.event(Events.newId(), PUSHED, repo, d1.toString(), null, Instant.now()), // untagged not selected
                Events.event(Events.newId(), PUSHED, repo, d2.toString(), "v2", Instant.now()));
        // Events of one repository are handled in order: once v2's execution exists, the others were seen.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<Map<String, Object>> executions;
        do {
            Thread.sleep(100);
            executions = fx.executionsOf(policy);
        } while (executions.size() < 2 && System.nanoTime() < deadline);
        Thread.sleep(500);
        executions = fx.executionsOf(policy);
        assertEquals(2, executions.size(), executions.toString());
        for (Map<String, Object> e : executions) {
            assertEquals("succeeded", fx.awaitEnd((Long) e.get("id")).get("status"));
        }
    }

    @Test
    void aRemoteDownDuringAnEventIsRetriedUntilItComesBack() throws Exception {
        String project = Fixture.unique("ev");
        String repo = project + "/app";
        Endpoint dead = fx.endpoint("http://127.0.0.1:" + Distribution.freePort(), null, null);
        long policy = fx.policy("push", dead, "event_based", filters(project), true, false, null);
        Digest digest = Images.push(local, repo, "v1");
        Events.send(repo, Events.event(Events.newId(), PUSHED, repo, digest.toString(), "v1", Instant.now()));
        long execution = fx.awaitExecutionOf(policy, Duration.ofSeconds(10));
        fx.await(execution, e -> {
            try {
                return (Integer) fx.tasks(execution).get(0).get("attempts") >= 2;
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }, Duration.ofSeconds(15));
        Map<String, Object> waiting = fx.tasks(execution).get(0);
        assertTrue(List.of("pending", "running").contains(waiting.get("status")), waiting.toString());
        assertTrue(((String) waiting.get("error")).startsWith("connection-refused"), waiting.toString());

        try (Distribution back = Distribution.open()) {
            // The remote comes back (at a new address: the endpoint is changed to it).
            endpoints.update(dead, new EndpointSpec(dead.name(), EndpointType.DISTRIBUTION, back.url(), false, null,
                    null, null), "test");
            Map<String, Object> e = fx.awaitEnd(execution);
            assertEquals("succeeded", e.get("status"), e.toString());
            assertEquals(digest, Fixture.client(back.url(), null, null).headManifest(repo, "v1").orElseThrow().digest());
            Map<String, Object> task = fx.tasks(execution).get(0);
            assertTrue((Integer) task.get("attempts") >= 3, task.toString());
            assertTrue(((String) task.get("log")).contains("connection-refused"), (String) task.get("log"));
        }
    }

    @Test
    void aWrongPasswordFailsTheTaskWithoutRetrying() throws Exception {
        try (Distribution secured = Distribution.withPassword()) {
            String project = Fixture.unique("ev");
            String repo = project + "/app";
            long policy = fx.policy("push", fx.endpoint(secured.url(), Distribution.USER, "wrong-password"),
                    "event_based", filters(project), true, false, null);
            Digest digest = Images.push(local, repo, "v1");
            Events.send(repo, Events.event(Events.newId(), PUSHED, repo, digest.toString(), "v1", Instant.now()));
            long execution = fx.awaitExecutionOf(policy, Duration.ofSeconds(10));
            Map<String, Object> e = fx.awaitEnd(execution);
            assertEquals("failed", e.get("status"), e.toString());
            Map<String, Object> task = fx.tasks(execution).get(0);
            assertEquals("failed", task.get("status"));
            assertEquals(1, task.get("attempts"));
            assertTrue(((String) task.get("error")).startsWith("unauthorized"), task.toString());
        }
    }

    @Test
    void aDeleteHereDeletesThereForPoliciesThatReplicateDeletions() throws Exception {
        String project = Fixture.unique("del");
        String repo = project + "/app";
        Endpoint endpoint = fx.endpoint(remote.url(), null, null);
        long propagating = fx.policy("push", endpoint, "event_based", filters(project), true, true, null);
        long keeping = fx.policy("push", endpoint, "event_based", filters(project), true, false, null);
        Digest digest = Images.push(local, repo, "v1");
        Events.send(repo, Events.event(Events.newId(), PUSHED, repo, digest.toString(), "v1", Instant.now()));
        assertEquals("succeeded", fx.awaitEnd(fx.awaitExecutionOf(propagating, Duration.ofSeconds(10))).get("status"));
        assertEquals("succeeded", fx.awaitEnd(fx.awaitExecutionOf(keeping, Duration.ofSeconds(10))).get("status"));
        RegistryClient there = remoteClient;
        assertTrue(there.headManifest(repo, digest.toString()).isPresent());

        Events.send(repo, Events.event(Events.newId(), "io.berth.artifact.deleted.v1", repo, digest.toString(), null,
                Instant.now()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fx.executionsOf(propagating).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long deletion = (Long) fx.executionsOf(propagating).get(1).get("id");
        assertEquals("succeeded", fx.awaitEnd(deletion).get("status"));
        Map<String, Object> task = fx.tasks(deletion).get(0);
        assertEquals("delete", task.get("operation"));
        assertEquals(digest.toString(), task.get("dst_reference"));
        assertTrue(there.headManifest(repo, digest.toString()).isEmpty(), "deleted at the destination");
        assertEquals(1, fx.executionsOf(keeping).size(), "a policy without replicate_deletion keeps it");
    }

    @Test
    void anEventWaitsWhileTheDatabaseFailsAndIsNotSkipped() throws Exception {
        String project = Fixture.unique("db");
        String repo = project + "/app";
        long policy = fx.policy("push", fx.endpoint(remote.url(), null, null), "event_based", filters(project), true,
                false, null);
        Digest digest = Images.push(local, repo, "v1");
        // The executions table disappears for a while: every attempt to store the event fails.
        fx.sql("ALTER TABLE replication_executions RENAME TO replication_executions_away");
        try {
            Events.send(repo, Events.event(Events.newId(), PUSHED, repo, digest.toString(), "v1", Instant.now()));
            Thread.sleep(3000);
        } finally {
            fx.sql("ALTER TABLE replication_executions_away RENAME TO replication_executions");
        }
        long execution = fx.awaitExecutionOf(policy, Duration.ofSeconds(40));
        assertEquals("succeeded", fx.awaitEnd(execution).get("status"));
        assertEquals(digest, remoteClient.headManifest(repo, "v1").orElseThrow().digest());
    }
}
