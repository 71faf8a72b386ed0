package io.berth.replicator.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.support.ExecutionRows;
import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The executions API for system administrators, against real PostgreSQL rows and the real engine (Executions). */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class ExecutionResourceTest {

    private static final String BASE = "/api/v1/replication/executions";

    @Inject
    DataSource db;

    private ExecutionRows rows;

    @BeforeEach
    void rows() {
        rows = new ExecutionRows(db);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestAuth.ADMIN).contentType("application/json");
    }

    @Test
    void theListIsNewestFirstWithCountsFromTheTasksAndPages() {
        long policy = rows.policy(true);
        long first = rows.execution(policy, "manual", "succeeded");
        long second = rows.execution(policy, "scheduled", "failed");
        long third = rows.execution(policy, "event_based", "running");
        String p = ExecutionRows.unique("proj");
        rows.task(third, p, "v1", "succeeded", 100, null, "");
        rows.task(third, p, "v2", "succeeded", 20, null, "");
        rows.task(third, p, "v3", "failed", 3, "boom", "");
        rows.task(third, p, "v4", "pending", 0, null, "");
        rows.task(third, p, "v5", "running", 0, null, "");
        rows.task(third, p, "v6", "stopped", 0, null, "");

        Response page1 = admin().queryParam("policy_id", policy).queryParam("page_size", 2).when().get(BASE);
        page1.then().statusCode(200).header("X-Total-Count", "3");
        JsonPath list = page1.jsonPath();
        assertEquals(List.of(third, second), list.getList("id", Long.class));
        String link = page1.header("Link");
        assertNotNull(link, "a next page is linked");
        assertTrue(link.startsWith("<" + BASE + "?") && link.endsWith(">; rel=\"next\"") && !link.contains("prev"), link);
        assertTrue(link.contains("policy_id=" + policy) && link.contains("page_size=2") && link.contains("page=2"), link);

        JsonPath newest = JsonPath.from(page1.asString()).setRootPath("[0]");
        assertEquals(policy, newest.getLong("policy_id"));
        assertEquals(rows.policyName(policy), newest.getString("policy_name"));
        assertEquals("event_based", newest.getString("trigger"));
        assertEquals("running", newest.getString("status"));
        assertEquals("status running", newest.getString("status_text"));
        assertEquals(6, newest.getInt("total"));
        assertEquals(2, newest.getInt("succeeded"));
        assertEquals(1, newest.getInt("failed"));
        assertEquals(1, newest.getInt("stopped"));
        assertEquals(2, newest.getInt("in_progress"));
        assertEquals(123, newest.getInt("bytes"));
        assertNotNull(newest.getString("start_time"));
        assertNull(newest.getString("end_time"));
        assertEquals("admin", newest.getString("started_by"));

        Response page2 = admin().queryParam("policy_id", policy).queryParam("page_size", 2).queryParam("page", 2)
                .when().get(BASE);
        page2.then().statusCode(200).header("X-Total-Count", "3");
        String back = page2.header("Link");
        assertTrue(back.startsWith("<" + BASE + "?") && back.endsWith(">; rel=\"prev\"") && back.contains("page=1")
                && !back.contains("next"), back);
        assertEquals(List.of(first), page2.jsonPath().getList("id", Long.class));
        assertEquals(0, page2.jsonPath().getInt("[0].total"), "an execution without tasks counts none");
        assertNotNull(page2.jsonPath().getString("[0].end_time"));
    }

    @Test
    void theListFiltersByStatusTriggerAndRefusesBadParameters() {
        long policy = rows.policy(true);
        rows.execution(policy, "manual", "succeeded");
        long failed = rows.execution(policy, "scheduled", "failed");
        assertEquals(List.of(failed), admin().queryParam("policy_id", policy).queryParam("status", "failed").when()
                .get(BASE).then().statusCode(200).header("X-Total-Count", "1").extract().jsonPath().getList("id", Long.class));
        assertEquals(List.of(failed), admin().queryParam("policy_id", policy).queryParam("trigger", "scheduled")
                .when().get(BASE).then().statusCode(200).extract().jsonPath().getList("id", Long.class));
        assertApiError(admin().queryParam("status", "done").when().get(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().queryParam("trigger", "cron").when().get(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().queryParam("policy_id", "x").when().get(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().queryParam("page", "0").when().get(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().queryParam("page_size", "101").when().get(BASE), 400, "BAD_REQUEST");
    }

    @Test
    void oneExecutionItsTasksAndATasksLog() {
        long policy = rows.policy(true);
        long e = rows.execution(policy, "manual", "failed");
        String p = ExecutionRows.unique("proj");
        long ok = rows.task(e, p, "v1", "succeeded", 10, null, "copied v1\n");
        long bad = rows.task(e, p, "sha256:" + "b".repeat(64), "failed", 0, "remote refused", "refused\n");
        long other = rows.task(rows.execution(policy, "manual", "succeeded"), p, "v9", "succeeded", 0, null, "x");

        admin().when().get(BASE + "/" + e).then().statusCode(200).body("id", equalTo((int) e))
                .body("total", equalTo(2)).body("failed", equalTo(1));
        assertApiError(admin().when().get(BASE + "/999999999"), 404, "NOT_FOUND");
        assertApiError(admin().when().get(BASE + "/abc"), 404, "NOT_FOUND");

        Response tasks = admin().when().get(BASE + "/" + e + "/tasks");
        tasks.then().statusCode(200).header("X-Total-Count", "2");
        JsonPath t = tasks.jsonPath();
        assertEquals(List.of(ok, bad), t.getList("id", Long.class));
        assertEquals(e, t.getLong("[0].execution_id"));
        assertEquals("copy", t.getString("[0].operation"));
        assertEquals("image", t.getString("[0].resource_type"));
        assertEquals(p + "/app:v1", t.getString("[0].src_resource"));
        assertEquals("mirror/" + p + "/app:v1", t.getString("[0].dst_resource"));
        assertEquals(p + "/app@sha256:" + "b".repeat(64), t.getString("[1].src_resource"));
        assertEquals("failed", t.getString("[1].status"));
        assertEquals("remote refused", t.getString("[1].error"));
        assertEquals(1, t.getInt("[1].attempts"));
        assertEquals(10, t.getInt("[0].bytes"));
        assertNotNull(t.getString("[0].digest"));
        assertNotNull(t.getString("[0].start_time"));

        assertEquals(List.of(bad), admin().queryParam("status", "failed").when().get(BASE + "/" + e + "/tasks")
                .then().statusCode(200).header("X-Total-Count", "1").extract().jsonPath().getList("id", Long.class));
        assertApiError(admin().queryParam("status", "x").when().get(BASE + "/" + e + "/tasks"), 400, "BAD_REQUEST");

        admin().when().get(BASE + "/" + e + "/tasks/" + bad + "/log").then().statusCode(200)
                .contentType(containsString("text/plain")).body(equalTo("refused\n"));
        assertApiError(admin().when().get(BASE + "/" + e + "/tasks/" + other + "/log"), 404, "NOT_FOUND");
        assertApiError(admin().when().get(BASE + "/" + e + "/tasks/zz/log"), 404, "NOT_FOUND");
    }

    @Test
    void startingRunsAnEnabledPolicyManuallyAsTheCaller() {
        long policy = rows.policy(true);
        Response started = admin().body("{\"policy_id\": " + policy + "}").when().post(BASE);
        started.then().statusCode(201).body("policy_id", equalTo((int) policy)).body("trigger", equalTo("manual"))
                .body("started_by", equalTo("admin")).body("end_time", nullValue());
        long id = started.jsonPath().getLong("id");
        assertEquals(BASE + "/" + id, java.net.URI.create(started.header("Location")).getPath());
        // The engine wrote it (and lists its tasks in the background).
        assertEquals("manual admin", rows.value("SELECT trigger || ' ' || started_by FROM replication_executions"
                + " WHERE id = ?", id));
        assertEquals("1", rows.value("SELECT count(*) FROM replication_executions WHERE policy_id = ?", policy));

        Response unknown = admin().body("{\"policy_id\": 999999999}").when().post(BASE);
        assertApiError(unknown, 400, "BAD_REQUEST");
        assertTrue(unknown.asString().contains("policy_id"), unknown.asString());
        long disabled = rows.policy(false);
        assertApiError(admin().body("{\"policy_id\": " + disabled + "}").when().post(BASE), 409, "CONFLICT");
        assertEquals("0", rows.value("SELECT count(*) FROM replication_executions WHERE policy_id = ?", disabled),
                "a refused start reaches no engine");
        assertApiError(admin().body("{\"policy_id\": \"" + policy + "\"}").when().post(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().body("{}").when().post(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().body("[1]").when().post(BASE), 400, "BAD_REQUEST");
        assertApiError(admin().body("{nope").when().post(BASE), 400, "BAD_REQUEST");
        assertEquals("1", rows.value("SELECT count(*) FROM replication_executions WHERE policy_id = ?", policy));
    }

    @Test
    void stoppingARunningExecutionAndNotAnEndedOne() {
        long policy = rows.policy(true);
        long running = rows.execution(policy, "manual", "running");
        long waiting = rows.task(running, ExecutionRows.unique("proj"), "v1", "pending", 0, null, "");
        admin().when().post(BASE + "/" + running + "/stop").then().statusCode(200).body("id", equalTo((int) running))
                .body("status", equalTo("stopped")).body("stopped", equalTo(1)).body("end_time", notNullValue());
        assertEquals("stopped", rows.value("SELECT status FROM replication_tasks WHERE id = ?", waiting));
        assertApiError(admin().when().post(BASE + "/" + running + "/stop"), 409, "CONFLICT");

        long another = rows.execution(policy, "manual", "pending");
        admin().body("{\"status\":\"stopped\"}").when().put(BASE + "/" + another).then().statusCode(200)
                .body("status", equalTo("stopped"));
        assertEquals("stopped", rows.value("SELECT status FROM replication_executions WHERE id = ?", another));
        assertApiError(admin().body("{\"status\":\"stopped\"}").when().put(BASE + "/" + another), 409, "CONFLICT");
        assertApiError(admin().body("{\"status\":\"running\"}").when().put(BASE + "/" + another), 400, "BAD_REQUEST");
        assertApiError(admin().when().post(BASE + "/999999999/stop"), 404, "NOT_FOUND");
    }

    @Test
    void retryingQueuesFailedTasksAgainAndNeedsSome() {
        long policy = rows.policy(true);
        long e = rows.execution(policy, "manual", "failed");
        String p = ExecutionRows.unique("proj");
        long ok = rows.task(e, p, "v1", "succeeded", 0, null, "");
        long failed = rows.task(e, p, "v2", "failed", 0, "boom", "");
        rows.task(e, p, "v3", "stopped", 0, null, "");
        admin().when().post(BASE + "/" + e + "/retry").then().statusCode(200).body("id", equalTo((int) e))
                .body("retried", equalTo(2));
        // Queued again (the engine's workers may have taken it up since: it is not failed now).
        assertTrue(rows.value("SELECT log FROM replication_tasks WHERE id = ?", failed).contains("queued again"));
        assertEquals("succeeded", rows.value("SELECT status FROM replication_tasks WHERE id = ?", ok));

        long clean = rows.execution(policy, "manual", "succeeded");
        rows.task(clean, p, "v1", "succeeded", 0, null, "");
        assertApiError(admin().when().post(BASE + "/" + clean + "/retry"), 409, "CONFLICT");
        assertApiError(admin().when().post(BASE + "/999999999/retry"), 404, "NOT_FOUND");
    }
}
