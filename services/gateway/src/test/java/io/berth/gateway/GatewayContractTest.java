package io.berth.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.berth.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Upstreams are a stub server; auth has one dead instance and one live one. The gateway is built
 * without the console here: with it, a path no route serves is one of the console's pages
 * (console/ConsoleTest), and the contract's 404 for such a path is the console's absence.
 */
@QuarkusTest
@QuarkusTestResource(value = StubUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(GatewayContractTest.WithoutConsole.class)
class GatewayContractTest extends ServiceContractTest {

    public static class WithoutConsole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.gateway.console.root", "no-console-here");
        }
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** The gateway serves its probes and metrics on the management port only. */
    @Override
    protected RequestSpecification probe() {
        return given().baseUri(Management.origin(management));
    }

    @Override
    protected boolean proxiesRegistryAndApiPaths() {
        return true;
    }

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("upstreams");
    }

    @Test
    void readinessReportsLiveInstancesPerUpstream() {
        probe().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.registry-api", equalTo("1/1 live"))
                .body("checks.find { it.name == 'upstreams' }.data.auth", equalTo("1/2 live"))
                .body("checks.find { it.name == 'upstreams' }.data.gc", equalTo("0/1 live"))
                .body("checks.find { it.name == 'upstreams' }.data.scanner-bridge", equalTo("0/1 live"))
                .body("checks.find { it.name == 'upstreams' }.data.replicator", equalTo("0/1 live"));
    }

    @Test
    void withoutTheConsoleItsPathsSaySoInTheApiShape() {
        io.berth.testing.WireErrorAssertions.assertApiError(given().accept("text/html").when().get("/"), 404, "NOT_FOUND");
        given().when().get("/console/config.json").then().statusCode(404)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("console is not part of this gateway"));
    }
}
