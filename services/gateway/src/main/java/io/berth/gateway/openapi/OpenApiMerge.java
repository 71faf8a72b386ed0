package io.berth.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Merges the OpenAPI documents of the services behind the gateway into one: every service's
 * paths, tags and components side by side. Each service tags its operations with its own name,
 * so the merged document says which service serves each path.
 *
 * <p>Two services declaring the same path is an error (a path has exactly one owner), and so is
 * a component of one name with different content in two documents; either throws
 * {@link IllegalStateException} naming both services.
 */
public final class OpenApiMerge {

    private OpenApiMerge() {}

    /** One document from {@code documents} (service name to its document), in their order. */
    public static ObjectNode merge(Map<String, JsonNode> documents) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode merged = f.objectNode();
        merged.put("openapi", documents.values().stream().map(d -> d.path("openapi").asText())
                .filter(v -> !v.isEmpty()).findFirst().orElse("3.0.3"));
        merged.putObject("info")
                .put("title", "berth")
                .put("version", "1")
                .put("description", "The HTTP API of berth behind its gateway: each operation's tag names the"
                        + " service that serves it (" + String.join(", ", documents.keySet()) + ").");
        ArrayNode tags = merged.putArray("tags");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode components = f.objectNode();
        Map<String, String> pathOwners = new java.util.HashMap<>();
        Map<String, String> componentOwners = new java.util.HashMap<>();
        documents.forEach((service, doc) -> {
            doc.path("tags").forEach(tags::add);
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
                var path = it.next();
                String owner = pathOwners.putIfAbsent(path.getKey(), service);
                if (owner != null) {
                    throw new IllegalStateException("path " + path.getKey() + " is declared by both " + owner
                            + " and " + service);
                }
                paths.set(path.getKey(), path.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> kinds = doc.path("components").fields(); kinds.hasNext();) {
                var kind = kinds.next();
                ObjectNode into = components.has(kind.getKey()) ? (ObjectNode) components.get(kind.getKey())
                        : components.putObject(kind.getKey());
                for (Iterator<Map.Entry<String, JsonNode>> it = kind.getValue().fields(); it.hasNext();) {
                    var component = it.next();
                    String key = kind.getKey() + "/" + component.getKey();
                    JsonNode before = into.get(component.getKey());
                    if (before != null && !before.equals(component.getValue())) {
                        throw new IllegalStateException("components/" + key + " differs between "
                                + componentOwners.get(key) + " and " + service);
                    }
                    componentOwners.putIfAbsent(key, service);
                    into.set(component.getKey(), component.getValue());
                }
            }
        });
        if (!components.isEmpty()) {
            merged.set("components", components);
        }
        return merged;
    }
}
