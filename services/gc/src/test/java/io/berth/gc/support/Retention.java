package io.berth.gc.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;

/** Sets retention policies and runs executions through gc's API as an administrator, waiting for them to end. */
public final class Retention {

    private Retention() {}

    /** One rule: the template with its params, a repository and a tag selector (JSON objects). */
    public static String rule(String template, String params, String repositories, String tags) {
        return "{\"template\":\"" + template + "\",\"params\":" + params + ",\"repositories\":" + repositories
                + ",\"tags\":" + tags + "}";
    }

    /** Sets the project's policy to {@code body}; 200 expected. */
    public static void put(String project, String body) {
        given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(body)
                .when().put(path(project))
                .then().statusCode(200);
    }

    /** Starts an execution; returns its id. */
    public static long start(String project, boolean dryRun) {
        return given().header("Authorization", TestAuth.ADMIN).contentType("application/json")
                .body("{\"dryRun\":" + dryRun + "}").when().post(path(project) + "/executions")
                .then().statusCode(202).extract().jsonPath().getLong("id");
    }

    /** Runs an execution and returns it, with its per-repository listing, once it has ended. */
    public static JsonPath execute(String project, boolean dryRun) {
        return awaitEnd(project, start(project, dryRun));
    }

    /** Waits up to 60 s for execution {@code id} to end; returns it. */
    public static JsonPath awaitEnd(String project, long id) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath e = given().header("Authorization", TestAuth.ADMIN).when()
                    .get(path(project) + "/executions/" + id).then().statusCode(200).extract().jsonPath();
            if (!"running".equals(e.getString("status"))) {
                return e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("retention execution " + id + " did not end within 60 s");
        return null;
    }

    public static String path(String project) {
        return "/api/v1/projects/" + project + "/retention";
    }
}
