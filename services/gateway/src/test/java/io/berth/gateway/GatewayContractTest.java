package io.berth.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.berth.testing.ServiceContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstreams are a stub server; auth has one dead instance and one live one. */
@QuarkusTest
@QuarkusTestResource(value = StubUpstream.class, restrictToAnnotatedClass = true)
class GatewayContractTest extends ServiceContractTest {

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
}
