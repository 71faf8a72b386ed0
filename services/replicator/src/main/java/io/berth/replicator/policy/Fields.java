package io.berth.replicator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.errors.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of a policy request's JSON: each wrong type is a 400 naming the field by its path
 * ({@code trigger.cron}, {@code filters.tags.include[1]}). A missing field or a JSON null reads as
 * null (the caller decides between "keep", "default" and "required").
 */
final class Fields {

    private Fields() {}

    /** Refuses a field of {@code node} that is neither in {@code allowed} nor in {@code ignored}. */
    static void only(JsonNode node, String path, Set<String> allowed, Set<String> ignored) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f) && !ignored.contains(f)) {
                throw ApiException.badRequest("unknown field " + path + f + "; the fields are "
                        + String.join(", ", allowed.stream().sorted().map(a -> path + a).toList()));
            }
        }
    }

    static boolean given(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    static String text(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(path + field + " must be a string");
        }
        return v.asText();
    }

    static Boolean bool(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(path + field + " must be true or false");
        }
        return v.asBoolean();
    }

    static Integer integer(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(path + field + " must be a whole number");
        }
        return v.asInt();
    }

    static Long id(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest(path + field + " must be an endpoint's numeric id");
        }
        return v.asLong();
    }

    /** An object, or null if absent or null. */
    static JsonNode object(JsonNode node, String field, String path, String shape) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(path + field + " must be an object: " + shape);
        }
        return v;
    }

    /** An array's elements, or null if absent or null. */
    static JsonNode array(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest(path + field + " must be a list");
        }
        return v;
    }

    /** An array of strings (empty if absent or null). */
    static List<String> strings(JsonNode node, String field, String path) {
        JsonNode a = array(node, field, path);
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) {
                    throw ApiException.badRequest(path + field + "[" + i + "] must be a string");
                }
                out.add(a.get(i).asText());
            }
        }
        return out;
    }
}
