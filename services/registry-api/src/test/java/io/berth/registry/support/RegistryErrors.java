package io.berth.registry.support;

import static org.hamcrest.Matchers.equalTo;

import io.berth.oci.RegistryErrorCode;
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
}
