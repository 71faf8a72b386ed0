package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static io.berth.testing.WireErrorAssertions.assertUnavailable;

import io.berth.testing.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops while auth runs (a relay between them is cut; the shared server is never
 * touched): every call that needs it answers 503 UNAVAILABLE with Retry-After in the management
 * API's shape, with the trace id, never Quarkus's 500 page; and auth recovers when it is back.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.ThroughRelay.class)
class DatabaseDownTest {

    /** auth's datasource goes through a relay on 127.0.0.1:18392. */
    public static class ThroughRelay extends DatabaseOutage.Profile {
        @Override
        protected int port() {
            return 18392;
        }
    }

    @Test
    void everyCallThatNeedsPostgresAnswers503InFormatAndAuthRecovers() {
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/api/v1/projects").then().statusCode(200);
        DatabaseOutage.begin();
        try {
            // A person Keycloak knows (remembered from the call above), a list from PostgreSQL.
            assertUnavailable(given().auth().preemptive().basic("developer", "berth-dev").when().get("/api/v1/projects"), false);
            // A write.
            assertUnavailable(given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON)
                    .body(Map.of("name", "down-" + System.nanoTime())).when().post("/api/v1/projects"), false);
            // A robot's secret is checked against PostgreSQL.
            assertUnavailable(given().auth().preemptive().basic("robot$nowhere+ci", "secret-" + System.nanoTime())
                    .when().get("/api/v1/projects"), false);
            // The token service reads the caller's roles there.
            assertUnavailable(given().auth().preemptive().basic("developer", "berth-dev")
                    .queryParam("service", "berth").queryParam("scope", "repository:library/app:pull")
                    .when().get("/service/token"), false);
        } finally {
            DatabaseOutage.end();
        }
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/api/v1/projects").then().statusCode(200);
    }
}
