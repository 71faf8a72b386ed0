package io.berth.gateway.console;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code berth.gateway.console.enabled=false}: the console's files are there, and not served. */
@QuarkusTest
@TestProfile(ConsoleDisabledTest.Off.class)
class ConsoleDisabledTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.gateway.console.enabled", "false");
        }
    }

    @Test
    void everyConsolePathIs404SayingTheConsoleIsNotHere() {
        for (String path : List.of("/", "/index.html", "/projects/library", "/assets/app-3f2a1b.js", ConsolePaths.CONFIG)) {
            assertApiError(given().accept("text/html").when().get(path), 404, "NOT_FOUND");
            given().when().get(path).then()
                    .body("errors[0].message", containsString("console is not part of this gateway"))
                    .header("Content-Security-Policy", startsWith("default-src 'none'"))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
        }
        assertApiError(given().when().post("/projects"), 404, "NOT_FOUND");
    }

    @Test
    void theGatewaysOwnApiAnswersStill() {
        given().when().get("/api/v1/openapi").then().statusCode(200).body("openapi", startsWith("3."));
    }
}
