package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.berth.oci.RegistryErrorCode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
        given().when().get("/test/fail/registry/" + code.name())
                .then().statusCode(code.status())
                .contentType("application/json")
                .body("errors", hasSize(1))
                .body("errors[0].code", equalTo(code.code()))
                .body("errors[0].message", equalTo(code.message()))
                .body("errors[0].detail.digest", equalTo("sha256:abc"));
    }

    @Test
    void anUnexpectedFailureIsUnknown500WithATraceIdAndNoInternals() {
        given().when().get("/test/fail/unexpected")
                .then().statusCode(500)
                .body("errors[0].code", equalTo("UNKNOWN"))
                .body("errors[0].detail.traceId", matchesPattern("[0-9a-f]{32}"))
                .body(not(containsString("secret internal detail")));
    }
}
