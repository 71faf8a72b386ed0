package io.berth.registry.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.Map;

/**
 * One assertion for the management API's error body (Harbor's shape): the status, exactly one
 * error with {@code code} and a message, and none of the distribution-spec's {@code detail}.
 */
public final class ManagementErrors {

    private ManagementErrors() {}

    /** The answer is {@code status} with one {@code code} error in the management shape. */
    public static void assertManagementError(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "status; body: " + response.asString());
        assertEquals("application/json", response.contentType().split(";")[0]);
        assertEquals(1, response.jsonPath().getList("errors").size(), response::asString);
        assertEquals(code, response.jsonPath().getString("errors[0].code"), response::asString);
        Map<String, Object> error = response.jsonPath().getMap("errors[0]");
        assertTrue(response.jsonPath().getString("errors[0].message").length() > 0, "a message");
        assertFalse(error.containsKey("detail"), () -> "no OCI detail: " + response.asString());
    }
}
