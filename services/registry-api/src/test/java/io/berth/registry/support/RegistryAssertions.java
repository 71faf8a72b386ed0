package io.berth.registry.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.RegistryErrorCode;
import io.restassured.response.Response;

/** Short assertions on the spec's error answers, like distribution's checkBodyHasErrorCodes. */
public final class RegistryAssertions {

    private RegistryAssertions() {}

    /** The answer is {@code status} with one error of {@code code} in the spec's body shape. */
    public static void assertError(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "status; body: " + response.asString());
        assertEquals(RegistryErrorCode.fromCode(code).orElseThrow().status(), status, "the code's own status");
        assertEquals("application/json", response.contentType().split(";")[0]);
        assertEquals(code, response.jsonPath().getString("errors[0].code"), () -> "body: " + response.asString());
        assertEquals(1, response.jsonPath().getList("errors").size());
    }
}
