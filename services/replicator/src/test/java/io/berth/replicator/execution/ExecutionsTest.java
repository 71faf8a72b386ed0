package io.berth.replicator.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.berth.replicator.support.Distribution;
import io.berth.workers.WorkerPool;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Manual, pull and scheduled executions, stop and retry, against real PostgreSQL and
 * docker-registry instances for this berth ({@link LocalBerth}) and the remote.
 */
@QuarkusTest
@QuarkusTestResource(LocalBerth.class)
class ExecutionsTest extends EngineTest {
    @Inject
    PolicyRepository policies;
    @Inject
    Executions executions;
    @Inject
    ReplicationScheduler scheduler;
    @Inject
    Workers workers;

    private static String filters(String repositories, String include, String exclude) {
        return "{\"repositories\":[\"" + repositories + "\"],\"tags\":{\"include\":[" + include + "],\"exclude\":["
                + exclude + "]},\"kinds\":[\"all\"]}";
    }

    private Policy policy(long id) {
        return policies.find(id).orElseThrow();
    }

    @Test
    void aManualPushCopiesTheMatchingTagsOnly() throws Exception {
        String project = Fixture.unique("man");
        Digest web = Images.push(local, project + "/web", "1.0");
        Images.push(local, project + "/web", "1.0-rc1");
        Digest api = Images.push(local, project + "/api", "1.1");
        Images.push(local, project + "/tools", "1.0");
        Images.push(local, Fixture.unique("other") + "/web", "1.0");
        long id = fx.policy("push", fx.endpoint(remote.url(), null, null), "manual",
                filters(project + "/{web,api}", "\"1.*\"", "\"*-rc*\""), true, false, null);
        // The destination: namespace "mirror", the project dropped (flatten 1).
        fx.sql("UPDATE replication_policies SET dest_namespace = 'mirror-' || ?, flatten = 1 WHERE id = ?", project, id);

        long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
        Map<String, Object> e = fx.awaitEnd(execution);
        assertEquals("succeeded", e.get("status"), e.toString());
        assertEquals("alice", e.get("started_by"));
        List<Map<String, Object>> tasks = fx.tasks(execution);
        assertEquals(List.of(project + "/api:1.1", project + "/web:1.0"),
                tasks.stream().map(t -> t.get("src_repository") + ":" + t.get("src_reference")).toList());
        assertEquals(project, tasks.get(0).get("local_project"));
        assertEquals(web, remoteClient.headManifest("mirror-" + project + "/web", "1.0").orElseThrow().digest());
        assertEquals(api, remoteClient.headManifest("mirror-" + project + "/api", "1.1").orElseThrow().digest());
        assertTrue(remoteClient.headManifest("mirror-" + project + "/web", "1.0-rc1").isEmpty());
        assertTrue(remoteClient.headManifest("mirror-" + project + "/tools", "1.0").isEmpty());
    }

    @Test
    void aPullExecutionCopiesIntoThisBerth() throws Exception {
        String project = Fixture.unique("pull");
        Digest digest = Images.push(remoteClient, "upstream-" + project + "/app", "2.0");
        long id = fx.policy("pull", fx.endpoint(remote.url(), null, null), "manual",
                filters("upstream-" + project + "/**", "", ""), true, false, null);
        fx.sql("UPDATE replication_policies SET dest_namespace = ?, flatten = -1 WHERE id = ?", project, id);

        long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
        assertEquals("succeeded", fx.awaitEnd(execution).get("status"));
        Map<String, Object> task = fx.tasks(execution).get(0);
        assertEquals(project, task.get("local_project"), "a pull's project is the destination's");
        assertEquals(project + "/app", task.get("dst_repository"));
        assertEquals(digest, local.headManifest(project + "/app", "2.0").orElseThrow().digest());
    }

    @Test
    void aSourceThatCannotBeListedFailsTheExecution() throws Exception {
        long id = fx.policy("pull", fx.endpoint("http://127.0.0.1:" + Distribution.freePort(), null, null), "manual",
                filters("x/**", "", ""), true, false, null);
        long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
        Map<String, Object> e = fx.awaitEnd(execution);
        assertEquals("failed", e.get("status"));
        assertTrue(((String) e.get("status_text")).startsWith("the source cannot be listed"), e.toString());
    }

    @Test
    void anExistingTagWithOverwriteOffFailsAndARetryAfterTheFixSucceeds() throws Exception {
        String project = Fixture.unique("ex");
        Digest ours = Images.push(local, project + "/app", "1.0");
        Images.push(remoteClient, project + "/app", "1.0"); // another image under the same tag
        long id = fx.policy("push", fx.endpoint(remote.url(), null, null), "manual", filters(project + "/**", "", ""),
                false, false, null);
        long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
        Map<String, Object> e = fx.awaitEnd(execution);
        assertEquals("failed", e.get("status"), e.toString());
        Map<String, Object> task = fx.tasks(execution).get(0);
        assertEquals(1, task.get("attempts"), "not retried");
        assertTrue(((String) task.get("error")).contains("exist"), task.toString());
        assertEquals(0, executions.retry(-1), "no such execution");

        fx.sql("UPDATE replication_policies SET overwrite = true WHERE id = ?", id);
        assertEquals(1, executions.retry(execution));
        e = fx.awaitEnd(execution);
        assertEquals("succeeded", e.get("status"), e.toString());
        assertEquals(ours, remoteClient.headManifest(project + "/app", "1.0").orElseThrow().digest());
        assertTrue(((String) fx.tasks(execution).get(0).get("log")).contains("queued again"));
        assertEquals(0, executions.retry(execution), "nothing failed any more");
    }

    @Test
    void stopEndsPendingTasksAndRetryRunsThemAgain() throws Exception {
        String project = Fixture.unique("stop");
        for (String tag : List.of("1", "2", "3")) {
            Images.push(local, project + "/app", tag);
        }
        Endpoint dead = fx.endpoint("http://127.0.0.1:" + Distribution.freePort(), null, null);
        long id = fx.policy("push", dead, "manual", filters(project + "/**", "", ""), true, false, null);
        long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
        fx.await(execution, x -> "running".equals(x.get("status")), Duration.ofSeconds(10));
        assertTrue(executions.stop(execution));
        Map<String, Object> e = fx.await(execution, x -> x.get("ended_at") != null, Duration.ofSeconds(10));
        assertEquals("stopped", e.get("status"), e.toString());
        assertTrue(fx.tasks(execution).stream().allMatch(t -> "stopped".equals(t.get("status"))));
        assertFalse(executions.stop(execution), "it had ended");

        fx.sql("UPDATE replication_policies SET endpoint_id = ? WHERE id = ?", fx.endpoint(remote.url(), null, null).id(),
                id);
        assertEquals(3, executions.retry(execution));
        e = fx.awaitEnd(execution);
        assertEquals("succeeded", e.get("status"), e.toString());
        assertFalse((Boolean) e.get("stop_requested"));
        assertTrue(remoteClient.headManifest(project + "/app", "3").isPresent());
    }

    @Test
    void twoReplicasNeverRunOneTaskTwice() throws Exception {
        String project = Fixture.unique("two");
        for (int i = 0; i < 12; i++) {
            Images.push(local, project + "/app", "t" + i);
        }
        long id = fx.policy("push", fx.endpoint(remote.url(), null, null), "manual", filters(project + "/**", "", ""),
                true, false, null);
        WorkerPool<?> other = workers.newPool("other-replica/" + Fixture.unique(""), 4);
        other.start();
        try {
            long execution = executions.start(policy(id), Policy.TriggerType.MANUAL, "alice");
            assertEquals("succeeded", fx.awaitEnd(execution).get("status"));
            List<Map<String, Object>> tasks = fx.tasks(execution);
            assertEquals(12, tasks.size());
            for (Map<String, Object> t : tasks) {
                assertEquals(1, t.get("attempts"), t.toString());
                String log = (String) t.get("log");
                assertEquals(log.indexOf("attempt 1 of"), log.lastIndexOf("attempt 1 of"), log);
            }
        } finally {
            other.stop();
        }
    }

    @Test
    void aScheduledPolicyFiresOnceForSeveralReplicas() throws Exception {
        String project = Fixture.unique("cron");
        Images.push(local, project + "/app", "1");
        long id = fx.policy("push", fx.endpoint(remote.url(), null, null), "scheduled", filters(project + "/**", "", ""),
                true, false, "* * * * *");
        fx.sql("UPDATE replication_policies SET updated_at = now() - interval '2 minutes' WHERE id = ?", id);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(30);
        List<Long> first = scheduler.tick(now);
        List<Long> second = scheduler.tick(now); // another replica, the same moment
        List<Map<String, Object>> runs = fx.executionsOf(id);
        assertEquals(1, runs.size(), runs.toString());
        assertTrue(first.contains(runs.get(0).get("id")));
        assertFalse(second.contains(runs.get(0).get("id")));
        assertEquals("scheduled", runs.get(0).get("trigger"));
        assertEquals("succeeded", fx.awaitEnd((Long) runs.get(0).get("id")).get("status"));
        scheduler.tick(now.plusSeconds(1));
        assertEquals(1, fx.executionsOf(id).size(), "not again within the minute");
        scheduler.tick(now.plusSeconds(61));
        assertEquals(2, fx.executionsOf(id).size(), "the next minute fires again");
        fx.sql("UPDATE replication_policies SET enabled = false WHERE id = ?", id);
    }

    @Test
    void aDeadReplicasTaskIsTakenOverWhenItsLeaseEnds() throws Exception {
        String project = Fixture.unique("dead");
        Digest digest = Images.push(local, project + "/app", "1");
        long id = fx.policy("push", fx.endpoint(remote.url(), null, null), "manual", filters(project + "/**", "", ""),
                true, false, null);
        long execution = (Long) fx.rows("""
                INSERT INTO replication_executions (policy_id, trigger, status) VALUES (?, 'manual', 'running')
                RETURNING id""", id).get(0).get("id");
        // A replica claimed it and died: its lease ended a moment ago.
        fx.sql("""
                INSERT INTO replication_tasks (execution_id, operation, local_project, src_repository, src_reference,
                    dst_repository, dst_reference, status, attempts, lease_owner, lease_until)
                VALUES (?, 'copy', ?, ?, '1', ?, '1', 'running', 1, 'dead-replica/0', now() + interval '1 second')""",
                execution, project, project + "/app", project + "/app");
        Map<String, Object> e = fx.awaitEnd(execution);
        assertEquals("succeeded", e.get("status"), e.toString());
        Map<String, Object> task = fx.tasks(execution).get(0);
        assertEquals(2, task.get("attempts"), "taken over: a second attempt");
        assertEquals(digest, remoteClient.headManifest(project + "/app", "1").orElseThrow().digest());
    }
}
