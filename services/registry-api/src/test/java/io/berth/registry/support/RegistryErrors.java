package io.berth.registry.support;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.RegistryErrorCode;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * One assertion for the spec's error body, like distribution's checkBodyHasErrorCodes: the
 * status and {@code errors[0].code}.
 */
public final class RegistryErrors {

    private RegistryErrors() {}

    /** Asserts the code's own status and code. */
    public static ValidatableResponse assertError(ValidatableResponse response, RegistryErrorCode code) {
        return assertError(response, code.status(), code);
    }

    /** Asserts {@code status} and the code, for the few answers whose status is overridden. */
    public static ValidatableResponse assertError(ValidatableResponse response, int status,
            RegistryErrorCode code) {
        return response.statusCode(status)
                .contentType("application/json")
                .body("errors[0].code", equalTo(code.code()));
    }

    /** The answer is {@code status} with one error of {@code code} in the spec's body shape. */
    public static void assertError(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "status; body: " + response.asString());
        assertEquals(RegistryErrorCode.fromCode(code).orElseThrow().status(), status, "the code's own status");
        assertEquals("application/json", response.contentType().split(";")[0]);
        assertEquals(code, response.jsonPath().getString("errors[0].code"), () -> "body: " + response.asString());
        assertEquals(1, response.jsonPath().getList("errors").size());
    }
}
