package io.berth.replicator.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only system administrators reach the replication API; everyone else gets a spec-format refusal. */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class EndpointAccessTest {

    private static final List<String> PATHS = List.of("/api/v1/replication/endpoints", "/api/v1/replication/endpoints/1",
            "/api/v1/replication/policies", "/api/v1/projects/x/../../replication/endpoints");

    @Test
    void anonymousCallersAreAskedForCredentials() {
        for (String path : PATHS) {
            Response r = given().when().get(path);
            assertApiError(r, 401, "UNAUTHORIZED");
            assertEquals("Basic realm=\"berth\"", r.header("WWW-Authenticate"), path);
        }
        assertApiError(given().contentType("application/json").body("{}").when()
                .post("/api/v1/replication/endpoints"), 401, "UNAUTHORIZED");
    }

    @Test
    void wrongCredentialsAndNonAdministratorsAreRefused() {
        assertApiError(given().header("Authorization", TestAuth.basic("admin", "wrong")).when()
                .get("/api/v1/replication/endpoints"), 401, "UNAUTHORIZED");
        for (String path : PATHS) {
            assertApiError(given().header("Authorization", TestAuth.DEVELOPER).when().get(path), 403, "FORBIDDEN");
        }
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).contentType("application/json")
                .body("{\"name\":\"x\",\"type\":\"distribution\",\"url\":\"http://127.0.0.1:1\"}").when()
                .post("/api/v1/replication/endpoints"), 403, "FORBIDDEN");
        assertApiError(given().header("Authorization", TestAuth.DEVELOPER).when()
                .post("/api/v1/replication/endpoints/1/ping"), 403, "FORBIDDEN");
        Response limited = given().header("Authorization", TestAuth.LIMITED).when().get("/api/v1/replication/endpoints");
        assertApiError(limited, 429, "TOO_MANY_REQUESTS");
        assertEquals("42", limited.header("Retry-After"));
    }

    @Test
    void administratorsGetIn() {
        given().header("Authorization", TestAuth.ADMIN).when().get("/api/v1/replication/endpoints")
                .then().statusCode(200);
    }
}
