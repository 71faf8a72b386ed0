package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static io.berth.testing.WireErrorAssertions.assertApiError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * auth's error paths outside its resources' own refusals, each answered in the management API's
 * one shape (docs/errors.md): no such path, wrong method, wrong media type, a body that is not
 * JSON or not the JSON an endpoint takes, no credentials. Never Quarkus's HTML or plain page.
 */
@QuarkusTest
class WireErrorsTest {

    private static RequestSpecification developer() {
        return given().auth().preemptive().basic("developer", "berth-dev");
    }

    @Test
    void anUnknownPathIs404InTheApiShape() {
        assertApiError(given().when().get("/api/v1/no-such-thing"), 404, "NOT_FOUND");
        assertApiError(given().accept("text/html").when().get("/nowhere"), 404, "NOT_FOUND");
    }

    @Test
    void aWrongMethodIs405() {
        assertApiError(developer().when().patch("/api/v1/projects"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void aBodyOfAnotherMediaTypeIs415() {
        assertApiError(developer().contentType(ContentType.TEXT).body("name=x").when().post("/api/v1/projects"),
                415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aBodyThatIsNotJsonOrNotTheRightJsonIs400() {
        assertApiError(developer().contentType(ContentType.JSON).body("{\"name\": ").when().post("/api/v1/projects"),
                400, "BAD_REQUEST");
        assertApiError(developer().contentType(ContentType.JSON).body("{\"name\": {\"a\": 1}}").when().post("/api/v1/projects"),
                400, "BAD_REQUEST");
    }

    @Test
    void noCredentialsIs401WithTheBasicChallenge() {
        var response = given().when().get("/api/v1/projects");
        assertApiError(response, 401, "UNAUTHORIZED");
        assertEquals("Basic realm=\"berth\"", response.header("WWW-Authenticate"));
    }

    @Test
    void theTokenServiceRefusesInTheSameShape() {
        assertApiError(given().queryParam("service", "elsewhere").when().get("/service/token"), 400, "BAD_REQUEST");
    }
}
