package io.berth.gc.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.support.Runs;
import io.berth.gc.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** gc's API: who may call it, what it answers, and how it refuses bad input. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class GcResourceTest {

    @Inject
    DataSource db;

    @Test
    void onlySystemAdministratorsGetIn() {
        given().when().post("/api/v1/system/gc")
                .then().statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"berth\""))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", TestAuth.basic("admin", "wrong")).when().get("/api/v1/system/gc")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .body("errors[0].message", equalTo("the credentials are not valid"));
        given().header("Authorization", "Bearer not-a-jwt").when().get("/api/v1/system/gc/schedule")
                .then().statusCode(401);
        given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json").body("{}")
                .when().post("/api/v1/system/gc")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"))
                .body("errors[0].message", containsString("system administrators"));
        given().header("Authorization", TestAuth.LIMITED).when().get("/api/v1/system/gc")
                .then().statusCode(429).header("Retry-After", equalTo("42"))
                .body("errors[0].code", equalTo("TOO_MANY_REQUESTS"));
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc").then().statusCode(200);
    }

    @Test
    void aRunIsStartedReadAndLogged() {
        JsonPath run = Runs.run("{\"dryRun\":true}");
        assertEquals("succeeded", run.getString("status"));
        assertEquals(7200, run.getLong("graceSeconds"), "the configured grace when the request names none");
        long id = run.getLong("id");

        given().header("Authorization", TestAuth.ADMIN).queryParam("page_size", 1).when().get("/api/v1/system/gc")
                .then().statusCode(200).header("X-Total-Count", Integer::parseInt, greaterThanOrEqualTo(1))
                .body("[0].id", equalTo((int) id)).body("[0].trigger", equalTo("manual"))
                .body("[0].endedAt", org.hamcrest.Matchers.notNullValue());
        String log = given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/" + id + "/log")
                .then().statusCode(200).contentType(containsString("text/plain")).extract().asString();
        assertTrue(log.contains("started (manual): dryRun=true"), log);
        assertTrue(log.contains("would be deleted"), log);

        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/999999999")
                .then().statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"));
        given().header("Authorization", TestAuth.ADMIN).when().delete("/api/v1/system/gc/" + id)
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"))
                .body("errors[0].message", containsString("not running (succeeded)"));
    }

    @Test
    void oneRunAtATimeAndARunningRunCanBeStopped() throws SQLException {
        // A run left 'running' by a replica that is still alive (fresh heartbeat) blocks the next.
        long held = insertRunning("now()");
        given().header("Authorization", TestAuth.ADMIN).when().post("/api/v1/system/gc")
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"))
                .body("errors[0].message", containsString("gc run " + held + " is running"));
        given().header("Authorization", TestAuth.ADMIN).when().delete("/api/v1/system/gc/" + held)
                .then().statusCode(202).body("id", equalTo((int) held)).body("status", equalTo("running"));
        assertTrue(stopRequested(held));
        execute("UPDATE gc_runs SET status = 'stopped', ended_at = now() WHERE id = " + held);

        // One whose replica died (its heartbeat is old) is failed by the next start.
        long dead = insertRunning("now() - interval '10 minutes'");
        JsonPath next = Runs.run("{\"dryRun\":true}");
        assertEquals("succeeded", next.getString("status"));
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/" + dead)
                .then().statusCode(200).body("status", equalTo("failed"))
                .body("error", containsString("stopped answering"));
    }

    @Test
    void whileBerthIsReadOnlyOnlyDryRunsStart() throws SQLException {
        execute("UPDATE system_settings SET read_only = true");
        try {
            given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body("{}")
                    .when().post("/api/v1/system/gc")
                    .then().statusCode(503).header("Retry-After", equalTo("60"))
                    .body("errors[0].code", equalTo("UNAVAILABLE"))
                    .body("errors[0].message", containsString("read-only"));
            assertEquals("succeeded", Runs.run("{\"dryRun\":true}").getString("status"));
        } finally {
            execute("UPDATE system_settings SET read_only = false");
        }
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        for (String[] bad : new String[][] {
                {"not json", "not JSON"},
                {"[]", "JSON object"},
                {"{\"dryrun\":true}", "unknown field \"dryrun\""},
                {"{\"dryRun\":\"yes\"}", "\"dryRun\" must be true or false"},
                {"{\"graceSeconds\":-1}", "\"graceSeconds\" must be a whole number"},
                {"{\"graceSeconds\":1.5}", "\"graceSeconds\" must be a whole number"}}) {
            given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(bad[0])
                    .when().post("/api/v1/system/gc")
                    .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                    .body("errors[0].message", containsString(bad[1]));
        }
        given().header("Authorization", TestAuth.ADMIN).queryParam("page", 0).when().get("/api/v1/system/gc")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
    }

    @Test
    void theScheduleIsReadSetValidatedAndTurnedOff() {
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json")
                .body("{\"cron\":\"0 3 * * 0\",\"deleteUntagged\":true,\"graceSeconds\":600,\"orphans\":true}")
                .when().put("/api/v1/system/gc/schedule")
                .then().statusCode(200).body("cron", equalTo("0 3 * * 0")).body("deleteUntagged", equalTo(true))
                .body("dryRun", equalTo(false)).body("graceSeconds", equalTo(600)).body("orphans", equalTo(true))
                .body("updatedBy", equalTo("admin"))
                .body("nextRunAt", containsString("T03:00:00Z"));
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/schedule")
                .then().statusCode(200).body("cron", equalTo("0 3 * * 0"));
        // Harbor's six fields, seconds first.
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json")
                .body("{\"cron\":\"0 0 2 * * *\"}").when().put("/api/v1/system/gc/schedule")
                .then().statusCode(200).body("nextRunAt", containsString("T02:00:00Z"))
                .body("graceSeconds", equalTo(7200));
        for (String[] bad : new String[][] {
                {"{\"cron\":\"every day\"}", "fields"},
                {"{\"cron\":\"61 * * * *\"}", "not a valid cron expression"},
                {"{\"dryRun\":true}", "\"cron\" is needed"},
                {"{\"cron\":5}", "\"cron\" must be a string"}}) {
            given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(bad[0])
                    .when().put("/api/v1/system/gc/schedule")
                    .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                    .body("errors[0].message", containsString(bad[1]));
        }
        given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json").body("{\"cron\":null}")
                .when().put("/api/v1/system/gc/schedule").then().statusCode(403);
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body("{\"cron\":null}")
                .when().put("/api/v1/system/gc/schedule")
                .then().statusCode(200).body("cron", nullValue()).body("nextRunAt", nullValue());
    }

    private long insertRunning(String heartbeat) throws SQLException {
        try (var c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO gc_runs (trigger, status, dry_run, delete_untagged, grace_seconds, heartbeat_at)
                VALUES ('manual', 'running', true, false, 0, %s) RETURNING id""".formatted(heartbeat));
                var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean stopRequested(long id) throws SQLException {
        try (var c = db.getConnection(); var ps = c.prepareStatement("SELECT stop_requested FROM gc_runs WHERE id = " + id);
                var rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
