package io.berth.gc.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention API: who may use it (administrators and the project's projectAdmins, asked of
 * auth), policies set, read, normalized and removed, bad policies refused with the reason, one
 * execution per project at a time, the history, and the seed's example end to end.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class RetentionApiTest {

    /** The seed's clean-up example: keep the last 3 builds of myapp/frontend (docs/retention.md). */
    static final String SEED = """
            {"rules":[{"template":"latestPushedK","params":{"count":3},
                       "repositories":{"decoration":"repoMatches","pattern":"frontend"},
                       "tags":{"decoration":"matches","pattern":"**","untagged":false}}],
             "cron":"0 3 * * *"}""";

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    RegistryFixture registry;
    long project;
    String name;

    @BeforeEach
    void fixture() {
        registry = new RegistryFixture(db, store);
        project = registry.project("retapi");
        name = registry.projectName(project);
    }

    private static String path(String project) {
        return Retention.path(project);
    }

    @Test
    void administratorsAndTheProjectsProjectAdminsOnly() {
        given().when().get(path(name)).then().statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"berth\""))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", TestAuth.basic("owner", "wrong")).when().get(path(name))
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().header("Authorization", TestAuth.LIMITED).when().get(path(name))
                .then().statusCode(429).header("Retry-After", equalTo("42"));

        // Not a member (auth hides the project: 404 there), then a maintainer: both 403 here.
        given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json").body(SEED)
                .when().put(path(name)).then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"))
                .body("errors[0].message", containsString("projectAdmins"));
        TestAuth.grant("dev", name, "maintainer");
        given().header("Authorization", TestAuth.DEVELOPER).when().post(path(name) + "/executions")
                .then().statusCode(403);

        TestAuth.grant("owner", name, "projectAdmin");
        given().header("Authorization", TestAuth.OWNER).contentType("application/json").body(SEED)
                .when().put(path(name)).then().statusCode(200).body("updatedBy", equalTo("owner"));
        given().header("Authorization", TestAuth.OWNER).when().get(path(name)).then().statusCode(200);
        long id = given().header("Authorization", TestAuth.OWNER).contentType("application/json").body("{\"dryRun\":true}")
                .when().post(path(name) + "/executions").then().statusCode(202)
                .header("Location", containsString(path(name) + "/executions/")).extract().jsonPath().getLong("id");
        assertEquals("owner", Retention.awaitEnd(name, id).getString("requestedBy"));
        given().header("Authorization", TestAuth.OWNER).when().get(path(name) + "/executions").then().statusCode(200);
        // A projectAdmin of this project is nobody elsewhere: not of another project, not of gc.
        long other = registry.project("retapi");
        given().header("Authorization", TestAuth.OWNER).when().get(path(registry.projectName(other)))
                .then().statusCode(403);
        given().header("Authorization", TestAuth.OWNER).when().get("/api/v1/system/gc").then().statusCode(403);
        given().header("Authorization", TestAuth.OWNER).when().get(path("Not_A_Name")).then().statusCode(403);
        given().header("Authorization", TestAuth.OWNER).urlEncodingEnabled(false)
                .when().get(path(name) + "/%2E%2E/%2E%2E/%2E%2E/system/gc").then().statusCode(403);

        given().header("Authorization", TestAuth.ADMIN).when().get(path(name)).then().statusCode(200)
                .body("updatedBy", equalTo("owner"));
    }

    @Test
    void aPolicyIsSetNormalizedReadAndRemoved() {
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name)).then().statusCode(404)
                .body("errors[0].message", containsString("has no retention policy"));
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body("""
                {"rules":[{"template":"always","repositories":{"decoration":"repoMatches","pattern":"web,api"},
                           "tags":{"decoration":"excludes","pattern":"tmp-*","untagged":true}}],
                 "cron":"  0   3 * * 0 "}""")
                .when().put(path(name)).then().statusCode(200)
                .body("rules[0].template", equalTo("always"))
                .body("rules[0].repositories.pattern", equalTo("{web,api}"))
                .body("rules[0].tags.untagged", equalTo(true))
                .body("rules[0].disabled", equalTo(false))
                .body("cron", equalTo("0 3 * * 0"))
                .body("nextRunAt", containsString("T03:00:00Z"))
                .body("updatedBy", equalTo("admin"));
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name)).then().statusCode(200)
                .body("rules.size()", equalTo(1)).body("cron", equalTo("0 3 * * 0"));
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body("{\"rules\":[]}")
                .when().put(path(name)).then().statusCode(200).body("cron", nullValue()).body("nextRunAt", nullValue());
        given().header("Authorization", TestAuth.ADMIN).when().delete(path(name)).then().statusCode(204);
        given().header("Authorization", TestAuth.ADMIN).when().delete(path(name)).then().statusCode(404);
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name)).then().statusCode(404);
    }

    @Test
    void badPoliciesAreRefusedWithTheReason() {
        String repo = "\"repositories\":{\"decoration\":\"repoMatches\",\"pattern\":\"**\"}";
        String tags = "\"tags\":{\"decoration\":\"matches\",\"pattern\":\"**\"}";
        for (String[] bad : new String[][] {
                {"not json", "not JSON"},
                {"[]", "JSON object"},
                {"{\"rule\":[]}", "unknown field \"rule\""},
                {"{}", "needs \"rules\""},
                {"{\"rules\":[{\"template\":\"keepSome\"," + repo + "," + tags + "}]}", "rule 1: unknown template \"keepSome\""},
                {"{\"rules\":[{\"template\":\"latestPushedK\",\"params\":{\"count\":-1}," + repo + "," + tags + "}]}",
                        "rule 1: latestPushedK needs params.count, a whole number from 0 to 10000, not -1"},
                {"{\"rules\":[{\"template\":\"latestPushedK\",\"params\":{\"count\":\"3\"}," + repo + "," + tags + "}]}",
                        "rules[0].params.count is a whole number"},
                {"{\"rules\":[{\"template\":\"always\",\"repositories\":{\"decoration\":\"repoMatches\",\"pattern\":\"\"},"
                        + tags + "}]}", "rule 1: repositories.pattern"},
                {"{\"rules\":[],\"cron\":\"every day\"}", "cron: "},
                {"{\"rules\":[],\"cron\":\"0 99 * * *\"}", "not a valid cron expression"},
                {"{\"rules\":[],\"cron\":3}", "\"cron\" must be a string"}}) {
            given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(bad[0])
                    .when().put(path(name))
                    .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                    .body("errors[0].message", containsString(bad[1]));
        }
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name)).then().statusCode(404);
    }

    @Test
    void executionsNeedAProjectAPolicyAndAGoodBody() {
        given().header("Authorization", TestAuth.ADMIN).when().get(path("no-such-project-x"))
                .then().statusCode(404).body("errors[0].message", containsString("project no-such-project-x not found"));
        given().header("Authorization", TestAuth.ADMIN).when().post(path("no-such-project-x") + "/executions")
                .then().statusCode(404);
        given().header("Authorization", TestAuth.ADMIN).when().post(path(name) + "/executions")
                .then().statusCode(404).body("errors[0].message", containsString("has no retention policy"));
        Retention.put(name, "{\"rules\":[]}");
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body("{\"dryrun\":true}")
                .when().post(path(name) + "/executions").then().statusCode(400)
                .body("errors[0].message", containsString("unknown field \"dryrun\""));
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name) + "/executions/999999999")
                .then().statusCode(404);
        given().header("Authorization", TestAuth.ADMIN).queryParam("page_size", 101)
                .when().get(path(name) + "/executions").then().statusCode(400);
    }

    @Test
    void oneExecutionAtATimePerProjectAndTheHistoryNewestFirst() {
        Retention.put(name, "{\"rules\":[]}");
        long held = registry.number("""
                INSERT INTO retention_executions (project_id, trigger, dry_run, status) VALUES (?, 'manual', false, 'running')
                RETURNING id""", project);
        given().header("Authorization", TestAuth.ADMIN).when().post(path(name) + "/executions")
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"))
                .body("errors[0].message", containsString("retention execution " + held + " of project " + name));
        // Another project is not held up.
        long other = registry.project("retapi");
        Retention.put(registry.projectName(other), "{\"rules\":[]}");
        assertEquals("succeeded", Retention.execute(registry.projectName(other), true).getString("status"));

        // One whose replica died (its heartbeat is old) is failed by the next start.
        registry.update("UPDATE retention_executions SET heartbeat_at = now() - interval '1 hour' WHERE id = ?", held);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Retention.execute(name, true).getLong("id"));
        }
        given().header("Authorization", TestAuth.ADMIN).when().get(path(name) + "/executions/" + held)
                .then().statusCode(200).body("status", equalTo("failed")).body("error", containsString("stopped answering"));

        given().header("Authorization", TestAuth.ADMIN).queryParam("page_size", 2).when().get(path(name) + "/executions")
                .then().statusCode(200).header("X-Total-Count", "4")
                .body("size()", equalTo(2)).body("[0].id", equalTo(ids.get(2).intValue()))
                .body("[1].id", equalTo(ids.get(1).intValue())).body("[0].dryRun", equalTo(true))
                .body("[0].trigger", equalTo("manual")).body("[0].requestedBy", equalTo("admin"));
        given().header("Authorization", TestAuth.ADMIN).queryParam("page_size", 2).queryParam("page", 2)
                .when().get(path(name) + "/executions")
                .then().statusCode(200).body("size()", equalTo(2)).body("[1].id", equalTo((int) held));
        // An execution is read through its own project only.
        given().header("Authorization", TestAuth.ADMIN).when()
                .get(path(registry.projectName(other)) + "/executions/" + ids.get(0)).then().statusCode(404);
    }

    @Test
    void theSeedExampleKeepsTheLastThreeBuildsOfFrontend() {
        long frontend = registry.repository(project, "frontend");
        long backend = registry.repository(project, "backend");
        Instant now = Instant.now();
        List<Manifest> builds = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Manifest m = registry.manifest(frontend, List.of(registry.blob(frontend, false, 200)), List.of(), null, null,
                    now.minus(Duration.ofHours(10 - i)));
            registry.tag(m, "build-" + i, now.minus(Duration.ofHours(10 - i)));
            builds.add(m);
        }
        Manifest api = registry.manifest(backend, List.of(registry.blob(backend, false, 200)), List.of(), null, "1.0",
                now.minus(Duration.ofDays(100)));
        registry.settleUsage(project);

        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(SEED)
                .when().put(path(name)).then().statusCode(200).body("rules[0].params.count", equalTo(3));
        JsonPath e = Retention.execute(name, false);

        assertEquals("succeeded", e.getString("status"));
        assertEquals(3, e.getInt("retained"));
        assertEquals(2, e.getInt("deleted"));
        assertEquals(List.of("backend"), e.getList("untouched"));
        assertEquals(List.of("build-5", "build-4", "build-3"),
                e.getList("repositories[0].retained.tags.flatten()"));
        assertEquals(new TreeSet<>(Set.of(builds.get(0).digest(), builds.get(1).digest())),
                new TreeSet<>(e.getList("repositories[0].deleted.digest", String.class)));
        assertFalse(registry.manifestRow(builds.get(0)) || registry.manifestRow(builds.get(1)));
        assertTrue(registry.manifestRow(builds.get(2)) && registry.manifestRow(api));
        assertEquals(registry.actualUsage(project), registry.usage(project));
    }
}
