package io.berth.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every berth service promises its operator, checked against the running service: live
 * and ready probes, readiness made of the named checks of its real dependencies, Prometheus
 * metrics, and errors in berth's one vocabulary (docs/errors.md) even for a path it does not
 * have, never Quarkus's HTML or plain-text page. A service's test extends this under {@code @QuarkusTest} and names the
 * checks its readiness must contain.
 */
public abstract class ServiceContractTest {

    /**
     * Where the probes and metrics are asked: the service's own port by default; a service with
     * a separate management port (the gateway) points this there.
     */
    protected RequestSpecification probe() {
        return given();
    }

    /**
     * Whether {@code /v2} and {@code /api/v1} are passed on to other services (the gateway), so
     * that only a path outside them is this service's own to refuse.
     */
    protected boolean proxiesRegistryAndApiPaths() {
        return false;
    }

    /** The names of the readiness checks this service must report, each UP. */
    protected abstract List<String> expectedReadinessChecks();

    @Test
    void livenessIsUp() {
        probe().when().get("/q/health/live")
                .then().statusCode(200).contentType(ContentType.JSON).body("status", equalTo("UP"));
    }

    @Test
    void readinessCoversEachRealDependencyAndAllAreUp() {
        var checks = expectedReadinessChecks().toArray(String[]::new);
        probe().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(checks))
                .body("checks.findAll { it.status != 'UP' }.name", org.hamcrest.Matchers.empty());
    }

    @Test
    void aPathNoRouteServesIs404InTheErrorFormat() {
        // Asked as a browser asks: the answer is still JSON in the format, not an HTML page.
        WireErrorAssertions.assertApiError(given().accept("text/html").when().get("/no-such-path"), 404, "NOT_FOUND");
        if (!proxiesRegistryAndApiPaths()) {
            WireErrorAssertions.assertApiError(given().when().post("/api/v1/no-such-path"), 404, "NOT_FOUND");
            WireErrorAssertions.assertOciError(given().when().get("/v2/no/such/path"), 404, "UNSUPPORTED");
        }
    }

    @Test
    void prometheusMetricsAreExposed() {
        probe().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_uptime_seconds"))
                .body(containsString("worker_pool_"));
    }
}
