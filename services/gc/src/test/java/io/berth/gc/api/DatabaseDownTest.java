package io.berth.gc.api;

import static io.berth.testing.WireErrorAssertions.assertUnavailable;
import static io.restassured.RestAssured.given;

import io.berth.gc.support.TestAuth;
import io.berth.testing.DatabaseOutage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops while gc runs (a relay between them is cut; the shared server is never
 * touched): every call of gc's API that needs it (run history, starting a run, the schedule,
 * retention) answers 503 UNAVAILABLE with Retry-After in the API's error shape, never a 500,
 * and works again when it is back.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestProfile(DatabaseDownTest.ThroughRelay.class)
class DatabaseDownTest {

    /** gc's datasource (its own test schema) goes through a relay on 127.0.0.1:18393. */
    public static class ThroughRelay extends DatabaseOutage.Profile {
        @Override
        protected int port() {
            return 18393;
        }

        @Override
        protected String jdbcUrl() {
            return super.jdbcUrl() + "?currentSchema=gc_test";
        }
    }

    @Test
    void everyCallThatNeedsPostgresAnswers503InTheApiShapeAndRecovers() {
        TestAuth.grant("owner", "outage", "projectAdmin");
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc").then().statusCode(200);
        DatabaseOutage.begin();
        try {
            assertUnavailable(given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc"), false);
            assertUnavailable(given().header("Authorization", TestAuth.ADMIN).contentType("application/json")
                    .body("{\"dryRun\":true}").when().post("/api/v1/system/gc"), false);
            assertUnavailable(given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/schedule"),
                    false);
            assertUnavailable(given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc/1/log"),
                    false);
            assertUnavailable(given().header("Authorization", TestAuth.OWNER)
                    .when().get("/api/v1/projects/outage/retention"), false);
        } finally {
            DatabaseOutage.end();
        }
        // The pool may hand out one connection that broke during the outage before it notices.
        for (int i = 0; i < 20 && given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc")
                .statusCode() != 200; i++) {
            sleep();
        }
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/system/gc").then().statusCode(200);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
