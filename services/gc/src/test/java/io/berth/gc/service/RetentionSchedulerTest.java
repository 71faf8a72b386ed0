package io.berth.gc.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.metadata.RetentionExecution;
import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.RegistryFixture.Manifest;
import io.berth.gc.support.Retention;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The retention schedule: a due policy fires once (of two replicas ticking together), as who set it. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class RetentionSchedulerTest {

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    RetentionScheduler scheduler;

    @Test
    void aDueScheduleFiresOnceAsWhoeverSetIt() throws Exception {
        RegistryFixture registry = new RegistryFixture(db, store);
        long project = registry.project("retsched");
        String name = registry.projectName(project);
        long repo = registry.repository(project, "app");
        Manifest old = registry.manifest(repo, List.of(registry.blob(repo, false, 100)), List.of(), null, "old",
                Instant.now().minus(Duration.ofDays(2)));
        Manifest recent = registry.manifest(repo, List.of(registry.blob(repo, false, 100)), List.of(), null, "new",
                Instant.now().minus(Duration.ofDays(1)));
        registry.settleUsage(project);
        TestAuth.grant("owner", name, "projectAdmin");
        given().header("Authorization", TestAuth.OWNER).contentType("application/json")
                .body("{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":1}",
                        "{\"decoration\":\"repoMatches\",\"pattern\":\"**\"}",
                        "{\"decoration\":\"matches\",\"pattern\":\"**\"}") + "],\"cron\":\"*/5 * * * *\"}")
                .when().put(Retention.path(name)).then().statusCode(200);

        assertTrue(mine(scheduler.tick(Instant.now().minusSeconds(1)), project).isEmpty(), "not due before it was set");

        // Two replicas tick at the same moment, ten minutes on: exactly one starts the execution.
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        ExecutorService two = Executors.newFixedThreadPool(2);
        Callable<List<RetentionExecution>> tick = () -> scheduler.tick(later);
        List<Future<List<RetentionExecution>>> ticks = two.invokeAll(List.of(tick, tick));
        two.shutdown();
        List<RetentionExecution> started = new ArrayList<>();
        for (Future<List<RetentionExecution>> f : ticks) {
            started.addAll(mine(f.get(), project));
        }
        assertEquals(1, started.size(), started.toString());
        assertTrue(mine(scheduler.tick(later), project).isEmpty(), "a firing starts one execution");

        JsonPath e = Retention.awaitEnd(name, started.get(0).id());
        assertEquals("succeeded", e.getString("status"));
        assertEquals("schedule", e.getString("trigger"));
        assertEquals("owner", e.getString("requestedBy"));
        assertFalse(registry.manifestRow(old));
        assertTrue(registry.manifestRow(recent));
        assertEquals("owner", registry.deletionActor(old.digest(), "retention"));

        // The next firing is the next time the cron names after the one claimed.
        assertEquals(1, mine(scheduler.tick(later.plus(Duration.ofMinutes(5))), project).size());
    }

    private static List<RetentionExecution> mine(List<RetentionExecution> started, long project) {
        return started.stream().filter(e -> e.projectId() == project).toList();
    }
}
