package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.Map;
import java.util.Set;

/**
 * One assertion per error body berth writes (like distribution's checkBodyHasErrorCodes): the
 * status, JSON, exactly one error with the code and a message, and the fields of its surface,
 * nothing more. docs/errors.md is the contract these check.
 */
public final class WireErrorAssertions {

    private WireErrorAssertions() {}

    /**
     * An {@code /api/v1}-shaped error: {@code {"errors":[{"code","message"}]}}, plus
     * {@code traceId} exactly when the status is 5xx.
     */
    public static void assertApiError(Response response, int status, String code) {
        Map<String, Object> error = common(response, status, code);
        Set<String> expected = status >= 500 ? Set.of("code", "message", "traceId") : Set.of("code", "message");
        assertEquals(expected, error.keySet(), response::asString);
        if (status >= 500) {
            assertTrue(String.valueOf(error.get("traceId")).matches("[0-9a-f]{32}"), response::asString);
        }
    }

    /** A {@code /v2}-shaped error: {@code {"errors":[{"code","message","detail"}]}}. */
    public static void assertOciError(Response response, int status, String code) {
        Map<String, Object> error = common(response, status, code);
        assertEquals(Set.of("code", "message", "detail"), error.keySet(), response::asString);
    }

    /** A 503 UNAVAILABLE with a {@code Retry-After} of whole seconds, on either surface. */
    public static void assertUnavailable(Response response, boolean registry) {
        if (registry) {
            assertOciError(response, 503, "UNAVAILABLE");
        } else {
            assertApiError(response, 503, "UNAVAILABLE");
        }
        String retryAfter = response.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        assertTrue(retryAfter.matches("[1-9][0-9]*"), "Retry-After: " + retryAfter);
    }

    private static Map<String, Object> common(Response response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> "status; body: " + response.asString());
        String type = response.contentType();
        assertTrue(type != null && type.split(";")[0].trim().equals("application/json"),
                () -> "content type " + type + "; body: " + response.asString());
        assertEquals(1, response.jsonPath().getList("errors").size(), response::asString);
        Map<String, Object> error = response.jsonPath().getMap("errors[0]");
        assertEquals(code, error.get("code"), response::asString);
        assertFalse(String.valueOf(error.get("message")).isBlank(), "a message");
        return error;
    }
}
