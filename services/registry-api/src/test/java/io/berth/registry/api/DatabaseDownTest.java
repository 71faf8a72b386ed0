package io.berth.registry.api;

import static io.berth.testing.WireErrorAssertions.assertUnavailable;
import static io.restassured.RestAssured.given;

import io.berth.registry.support.TestTokens;
import io.berth.testing.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops while registry-api runs (a relay between them is cut; the shared server is
 * never touched): pulls, pushes, the catalog and the browsing API answer 503 UNAVAILABLE with
 * Retry-After, each in its surface's shape, never a 500; and they work again when it is back.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.ThroughRelay.class)
class DatabaseDownTest {

    /** registry-api's datasource goes through a relay on 127.0.0.1:18391. */
    public static class ThroughRelay extends DatabaseOutage.Profile {
        @Override
        protected int port() {
            return 18391;
        }
    }

    @Test
    void everyCallThatNeedsPostgresAnswers503InItsShapeAndRecovers() {
        given().when().get("/v2/_catalog").then().statusCode(200);
        DatabaseOutage.begin();
        try {
            assertUnavailable(given().when().get("/v2/_catalog"), true);
            assertUnavailable(given().when().get("/v2/library/app/manifests/latest"), true);
            assertUnavailable(given().when().get("/v2/library/app/tags/list"), true);
            assertUnavailable(given().when().post("/v2/library/app/blobs/uploads/"), true);
            assertUnavailable(given().header("Authorization", "Bearer " + TestTokens.token("repository:library/app:pull"))
                    .when().get("/api/v1/projects/library/repositories/app/artifacts"), false);
        } finally {
            DatabaseOutage.end();
        }
        // The pool may hand out one connection that broke during the outage before it notices.
        for (int i = 0; i < 20 && given().when().get("/v2/_catalog").statusCode() != 200; i++) {
            sleep();
        }
        given().when().get("/v2/_catalog").then().statusCode(200);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
