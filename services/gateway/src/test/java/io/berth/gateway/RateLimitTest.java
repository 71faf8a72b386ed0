package io.berth.gateway;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.berth.testing.WireErrorAssertions.assertOciError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A burst over the per-client limit gets 429 with Retry-After: TOOMANYREQUESTS in the registry's
 * error shape on {@code /v2}, TOO_MANY_REQUESTS in the management API's elsewhere, the same
 * codes auth and registry-api answer with (docs/errors.md).
 */
@QuarkusTest
@TestProfile(RateLimitTest.FiveAtOnce.class)
@QuarkusTestResource(value = EchoUpstream.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    public static class FiveAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.gateway.limits.requests-per-second", "0.2", "berth.gateway.limits.burst", "5");
        }
    }

    @Test
    void aBurstOverTheLimitIsRefusedWithTooManyRequests() {
        for (int i = 0; i < 5; i++) {
            given().when().get("/v2/echo").then().statusCode(200);
        }
        given().when().get("/v2/echo").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .contentType("application/json")
                .body("errors[0].code", equalTo("TOOMANYREQUESTS"));
        assertOciError(given().when().get("/v2/echo"), 429, "TOOMANYREQUESTS");
        var api = given().when().get("/api/v1/projects");
        assertApiError(api, 429, "TOO_MANY_REQUESTS");
        assertNotNull(api.header("Retry-After"));
        // The gateway's own endpoints (on the management port) are not limited.
        given().baseUri(Management.origin(management)).when().get("/q/health/live").then().statusCode(200);
    }
}
