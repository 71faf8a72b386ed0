package io.berth.replicator.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.replicator.support.ExecutionRows;
import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A project's projectAdmin reads the executions, tasks and logs of their project (named with
 * {@code ?project=}) and nothing else; every change stays with system administrators.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class ExecutionAccessTest {

    private static final String BASE = "/api/v1/replication/executions";

    @Inject
    DataSource db;

    private ExecutionRows rows;
    private String mine;
    private String theirs;
    private long policy;
    private long shared;
    private long foreign;
    private long myTask;
    private long theirTask;

    @BeforeEach
    void rows() {
        rows = new ExecutionRows(db);
        mine = ExecutionRows.unique("mine");
        theirs = ExecutionRows.unique("theirs");
        TestAuth.grant("owner", mine, "projectAdmin");
        TestAuth.grant("dev", mine, "developer");
        policy = rows.policy(true);
        // One execution touches both projects, one only the other.
        shared = rows.execution(policy, "manual", "failed");
        myTask = rows.task(shared, mine, "v1", "succeeded", 7, null, "my log");
        theirTask = rows.task(shared, theirs, "v1", "failed", 1000, "boom", "their log");
        foreign = rows.execution(policy, "manual", "succeeded");
        rows.task(foreign, theirs, "v2", "succeeded", 5, null, "");
    }

    private static RequestSpecification owner() {
        return given().header("Authorization", TestAuth.OWNER).contentType("application/json");
    }

    @Test
    void aProjectAdminSeesTheirProjectsExecutionsAndOnlyTheirTasks() {
        Response list = owner().queryParam("project", mine).when().get(BASE);
        list.then().statusCode(200).header("X-Total-Count", "1");
        assertEquals(List.of(shared), list.jsonPath().getList("id", Long.class));
        assertEquals(1, list.jsonPath().getInt("[0].total"), "counts are of the project's tasks");
        assertEquals(0, list.jsonPath().getInt("[0].failed"));
        assertEquals(7, list.jsonPath().getInt("[0].bytes"));

        owner().queryParam("project", mine).when().get(BASE + "/" + shared).then().statusCode(200)
                .body("total", equalTo(1)).body("succeeded", equalTo(1)).body("status", equalTo("failed"));
        assertApiError(owner().queryParam("project", mine).when().get(BASE + "/" + foreign), 404, "NOT_FOUND");

        assertEquals(List.of(myTask), owner().queryParam("project", mine).when().get(BASE + "/" + shared + "/tasks")
                .then().statusCode(200).header("X-Total-Count", "1").extract().jsonPath().getList("id", Long.class));
        owner().queryParam("project", mine).when().get(BASE + "/" + shared + "/tasks/" + myTask + "/log")
                .then().statusCode(200).body(equalTo("my log"));
        assertApiError(owner().queryParam("project", mine).when().get(BASE + "/" + shared + "/tasks/" + theirTask
                + "/log"), 404, "NOT_FOUND");
    }

    @Test
    void withoutTheirProjectNamedOrForAnotherProjectTheyAreRefused() {
        assertApiError(owner().when().get(BASE), 403, "FORBIDDEN");
        assertApiError(owner().when().get(BASE + "/" + shared), 403, "FORBIDDEN");
        assertApiError(owner().when().get(BASE + "/" + shared + "/tasks"), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", theirs).when().get(BASE), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", "Not A Name").when().get(BASE), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).queryParam("project", theirs).when().get(BASE), 400,
                "BAD_REQUEST");
        // A developer of the project is no projectAdmin.
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).queryParam("project", mine).when().get(BASE),
                403, "FORBIDDEN");
        // The project rule opens reads of executions only, in no spelling of another path.
        assertApiError(owner().queryParam("project", mine).when().get("/api/v1/replication/endpoints"), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).when().get("/api/v1/replication/policies"), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).when()
                .get(BASE + "/" + shared + "/../../endpoints"), 403, "FORBIDDEN");
    }

    @Test
    void changesStayWithSystemAdministrators() {
        assertApiError(owner().queryParam("project", mine).body("{\"policy_id\": " + policy + "}").when().post(BASE),
                403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).when().post(BASE + "/" + shared + "/stop"), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).when().post(BASE + "/" + shared + "/retry"), 403, "FORBIDDEN");
        assertApiError(owner().queryParam("project", mine).body("{\"status\":\"stopped\"}").when()
                .put(BASE + "/" + shared), 403, "FORBIDDEN");
        assertEquals("2", rows.value("SELECT count(*) FROM replication_executions WHERE policy_id = ?", policy),
                "no execution was started");
        assertEquals("failed", rows.value("SELECT status FROM replication_executions WHERE id = ?", shared));
        assertEquals("failed", rows.value("SELECT status FROM replication_tasks WHERE id = ?", theirTask),
                "nothing was retried");
    }

    @Test
    void anonymousCallersAreAskedForCredentials() {
        for (String path : List.of(BASE, BASE + "/" + shared, BASE + "/" + shared + "/tasks",
                BASE + "/" + shared + "/tasks/" + myTask + "/log")) {
            Response r = given().queryParam("project", mine).when().get(path);
            assertApiError(r, 401, "UNAUTHORIZED");
            assertEquals("Basic realm=\"berth\"", r.header("WWW-Authenticate"), path);
        }
        assertApiError(given().contentType("application/json").body("{}").when().post(BASE), 401, "UNAUTHORIZED");
    }

    @Test
    void anAdministratorMayNarrowTheViewToAProject() {
        Response list = given().header("Authorization", TestAuth.ADMIN).queryParam("project", theirs)
                .queryParam("policy_id", policy).when().get(BASE);
        list.then().statusCode(200).header("X-Total-Count", "2");
        assertEquals(List.of(foreign, shared), list.jsonPath().getList("id", Long.class));
        assertEquals(1000, list.jsonPath().getInt("[1].bytes"));
        given().header("Authorization", TestAuth.ADMIN).when().get(BASE + "/" + shared).then().statusCode(200)
                .body("total", equalTo(2)).body("bytes", equalTo(1007));
    }
}
