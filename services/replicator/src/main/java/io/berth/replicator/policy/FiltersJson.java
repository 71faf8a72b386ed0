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
 * "platforms": [...], "untagged": false}}. A request may say {@code "types"} for {@code "kinds"}
 * (V24's comment and Harbor's word) and leave out any field (empty: everything).
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

    /**
     * Reads and checks a request's {@code filters}: patterns with {@link Filters#checkPattern},
     * platforms with {@link Filters#checkPlatform}, kinds by their wire names.
     *
     * @throws io.berth.errors.ApiException BAD_REQUEST naming the field at fault ({@code filters.tags.include[1]})
     */
    public static Filters parse(JsonNode o) {
        if (o == null || o.isNull()) {
            return Filters.ALL_ARTIFACTS;
        }
        String p = "filters.";
        if (!o.isObject()) {
            throw io.berth.errors.ApiException.badRequest("filters must be an object: {\"repositories\": [...],"
                    + " \"tags\": {\"include\": [...], \"exclude\": [...]}, \"kinds\": [...], \"platforms\": [...],"
                    + " \"untagged\": false}");
        }
        Fields.only(o, p, Set.of("repositories", "tags", "kinds", "platforms", "untagged"), Set.of("types"));
        if (o.has("kinds") && o.has("types")) {
            throw io.berth.errors.ApiException.badRequest("filters.types is another name for filters.kinds; give one");
        }
        List<String> repositories = patterns(o, "repositories", p);
        JsonNode tags = Fields.object(o, "tags", p, "{\"include\": [...], \"exclude\": [...]}");
        List<String> include = List.of();
        List<String> exclude = List.of();
        if (tags != null) {
            Fields.only(tags, "filters.tags.", Set.of("include", "exclude"), Set.of());
            include = patterns(tags, "include", "filters.tags.");
            exclude = patterns(tags, "exclude", "filters.tags.");
        }
        String kindField = o.has("types") ? "types" : "kinds";
        Set<Filters.Kind> kinds = EnumSet.noneOf(Filters.Kind.class);
        List<String> kindNames = Fields.strings(o, kindField, p);
        for (int i = 0; i < kindNames.size(); i++) {
            String k = kindNames.get(i);
            kinds.add(PolicyChecks.kind(k).orElseThrow(() -> io.berth.errors.ApiException.badRequest(p + kindField
                    + " holds " + k + "; the kinds are images, charts, referrers (signatures, SBOMs) and all")));
        }
        List<String> platforms = Fields.strings(o, "platforms", p);
        for (int i = 0; i < platforms.size(); i++) {
            PolicyChecks.platform(platforms.get(i), p + "platforms[" + i + "]");
        }
        Boolean untagged = Fields.bool(o, "untagged", p);
        return new Filters(repositories, include, exclude, kinds, platforms, untagged != null && untagged);
    }

    private static List<String> patterns(JsonNode o, String field, String path) {
        List<String> out = Fields.strings(o, field, path);
        for (int i = 0; i < out.size(); i++) {
            PolicyChecks.pattern(out.get(i), path + field + "[" + i + "]");
        }
        return out;
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
