package io.berth.replicator.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link Filters} as stored in {@code replication_policies.filters} and shown by the API:
 * {@code {"repositories": [...], "tags": {"include": [...], "exclude": [...]}, "kinds": [...],
 * "platforms": [...], "untagged": false}}.
 */
public final class FiltersJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FiltersJson() {}

    public static ObjectNode write(Filters f) {
        ObjectNode o = JSON.createObjectNode();
        strings(o.putArray("repositories"), f.repositories());
        ObjectNode tags = o.putObject("tags");
        strings(tags.putArray("include"), f.tagsInclude());
        strings(tags.putArray("exclude"), f.tagsExclude());
        ArrayNode kinds = o.putArray("kinds");
        f.kinds().forEach(k -> kinds.add(k.wire()));
        strings(o.putArray("platforms"), f.platforms());
        o.put("untagged", f.untagged());
        return o;
    }

    /** Reads what {@link #write} wrote (stored rows only: no validation beyond the shape). */
    public static Filters read(JsonNode o) {
        Set<Filters.Kind> kinds = EnumSet.noneOf(Filters.Kind.class);
        o.path("kinds").forEach(k -> kinds.add(Filters.Kind.valueOf(k.asText().toUpperCase(Locale.ROOT))));
        return new Filters(strings(o.path("repositories")), strings(o.path("tags").path("include")),
                strings(o.path("tags").path("exclude")), kinds, strings(o.path("platforms")),
                o.path("untagged").asBoolean(false));
    }

    public static Filters read(String stored) {
        try {
            return read(JSON.readTree(stored == null ? "{}" : stored));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("replication_policies.filters is not JSON: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return out;
    }
}
