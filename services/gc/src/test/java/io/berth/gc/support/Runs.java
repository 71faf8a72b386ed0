package io.berth.gc.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;

/** Starts runs through gc's API as an administrator and waits for them to end. */
public final class Runs {

    private Runs() {}

    /** Starts a run with {@code body} (JSON) and returns it once it has ended. */
    public static JsonPath run(String body) {
        long id = given().header("Authorization", TestAuth.ADMIN).contentType("application/json").body(body)
                .when().post("/api/v1/system/gc")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        return awaitEnd(id);
    }

    /** Waits up to 60 s for run {@code id} to end; returns it. */
    public static JsonPath awaitEnd(long id) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath run = given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/" + id)
                    .then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("status"))) {
                return run;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("gc run " + id + " did not end within 60 s");
        return null;
    }
}
