package io.berth.gc.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the bodies of gc's API strictly: a JSON object with only the fields an operation takes,
 * each of its type, so a typo ({@code "dryrun"}) is a 400 naming it rather than a run that
 * deletes what a dry run was meant to show.
 */
final class GcRequests {

    /** The longest grace window accepted: ten years. */
    static final long MAX_GRACE_SECONDS = 10L * 366 * 24 * 3600;

    private GcRequests() {}

    /** The body as a JSON object with no field outside {@code allowed}; an empty body is {@code {}}. */
    static JsonNode object(ObjectMapper json, String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            String field = it.next().getKey();
            if (!allowed.contains(field)) {
                throw ApiException.badRequest("unknown field \"" + field + "\"; this takes " + allowed);
            }
        }
        return node;
    }

    static boolean bool(JsonNode body, String field, boolean otherwise) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("\"" + field + "\" must be true or false");
        }
        return v.booleanValue();
    }

    /** A grace window in seconds, or null if the field is absent or null. */
    static Long grace(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > MAX_GRACE_SECONDS) {
            throw ApiException.badRequest("\"" + field + "\" must be a whole number of seconds from 0 to "
                    + MAX_GRACE_SECONDS);
        }
        return v.longValue();
    }

    /** Text, or null if absent, null or blank. */
    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("\"" + field + "\" must be a string");
        }
        return v.asText().isBlank() ? null : v.asText();
    }
}
