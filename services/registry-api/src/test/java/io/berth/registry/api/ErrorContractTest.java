package io.berth.registry.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.berth.testing.WireErrorAssertions.assertOciError;
import static io.berth.testing.WireErrorAssertions.assertUnavailable;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.berth.oci.RegistryErrorCode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** registry-api's error answers on both surfaces, through the shared mapper of libs/errors (docs/errors.md). */
@QuarkusTest
class ErrorContractTest {

    @Test
    void versionCheckAnswersWithTheApiVersionHeader() {
        given().when().get("/v2/")
                .then().statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .body(equalTo("{}"));
        given().when().head("/v2/")
                .then().statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0");
    }

    @ParameterizedTest
    @EnumSource(RegistryErrorCode.class)
    void everyCodeIsWrittenWithItsStatusInTheSpecShape(RegistryErrorCode code) {
        given().when().get("/v2/_test/fail/registry/" + code.name())
                .then().statusCode(code.status())
                .contentType("application/json")
                .body("errors", hasSize(1))
                .body("errors[0].code", equalTo(code.code()))
                .body("errors[0].message", equalTo(code.message()))
                .body("errors[0].detail.digest", equalTo("sha256:abc"));
    }

    @Test
    void anUnexpectedFailureIsUnknown500WithATraceIdAndNoInternals() {
        given().when().get("/v2/_test/fail/unexpected")
                .then().statusCode(500)
                .body("errors[0].code", equalTo("UNKNOWN"))
                .body("errors[0].detail.traceId", matchesPattern("[0-9a-f]{32}"))
                .body(not(containsString("secret internal detail")));
        var outside = given().when().get("/test/fail/unexpected");
        assertApiError(outside, 500, "UNKNOWN");
        outside.then().body(not(containsString("secret internal detail")));
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfterNotA500() {
        var response = given().when().get("/v2/_test/fail/database");
        assertUnavailable(response, true);
        response.then().body("errors[0].detail.traceId", matchesPattern("[0-9a-f]{32}"))
                .body(not(containsString("secret internal detail")));
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheirSurfacesShape() {
        assertOciError(given().when().get("/v2/x/nothing-here"), 404, "UNSUPPORTED");
        assertOciError(given().when().put("/v2/_catalog"), 405, "UNSUPPORTED");
        assertApiError(given().when().get("/api/v1/nothing-here"), 404, "NOT_FOUND");
        assertApiError(given().when().get("/nowhere"), 404, "NOT_FOUND");
        assertApiError(given().when().patch("/api/v1/projects/p/repositories"), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void aManifestBodyThatIsNotJsonIsTheSpecsManifestInvalid() {
        assertOciError(given().contentType("application/vnd.oci.image.manifest.v1+json").body("{not json")
                .when().put("/v2/errors/contract/manifests/v1"), 400, "MANIFEST_INVALID");
    }

    @Test
    void aBadPageParameterIsBadRequest() {
        assertApiError(given().accept(ContentType.JSON).when().get("/api/v1/projects/p/repositories?page=x"),
                400, "BAD_REQUEST");
    }
}
