package io.berth.gateway;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.berth.testing.WireErrorAssertions.assertUnavailable;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With an upstream that has no live instance the gateway is alive but not ready. */
@QuarkusTest
@TestProfile(GatewayNotReadyTest.DeadRegistry.class)
class GatewayNotReadyTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    public static class DeadRegistry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on loopback: connections are refused at once.
            return Map.of(
                    "berth.gateway.upstreams.registry-api.instances", "http://127.0.0.1:1",
                    "berth.gateway.upstreams.auth.instances", "http://127.0.0.1:1",
                    "berth.gateway.upstreams.gc.instances", "http://127.0.0.1:1",
                    "berth.gateway.upstreams.scanner-bridge.instances", "http://127.0.0.1:1",
                    "berth.gateway.upstreams.replicator.instances", "http://127.0.0.1:1");
        }
    }

    @Test
    void notReadyWhileAnUpstreamIsDown() {
        given().baseUri(Management.origin(management)).when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'upstreams' }.data.registry-api", equalTo("0/1 live"));
    }

    @Test
    void requestsGet503InTheVocabularyOfTheirPath() {
        assertUnavailable(given().when().get("/v2/team/app/manifests/latest"), true);
        assertUnavailable(given().when().get("/api/v1/projects"), false);
        assertUnavailable(given().when().get("/service/token"), false);
        assertUnavailable(given().when().get("/api/v1/system/gc"), false);
        assertUnavailable(given().when().post("/api/v1/projects/team/scan"), false);
        assertUnavailable(given().when().get("/api/v1/projects/team/repositories/app/artifacts/v1/vulnerabilities"), false);
    }

    @Test
    void aPathNoRouteServesIs404InTheApiShape() {
        // Not a page of the console (a file's extension), and no file of it.
        assertApiError(given().when().get("/elsewhere.txt"), 404, "NOT_FOUND");
    }

    @Test
    void stillLive() {
        given().baseUri(Management.origin(management)).when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
