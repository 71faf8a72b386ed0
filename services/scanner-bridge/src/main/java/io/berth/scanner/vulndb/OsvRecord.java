package io.berth.scanner.vulndb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.scanner.model.Ecosystem;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One OSV record (ossf/osv-schema, docs/schema.md) as berth keeps it: what matching and reports
 * need, the severity reduced to a {@link Severity}, references and severities kept as JSON.
 *
 * <p>{@link #parse} checks what berth relies on and refuses the rest with an
 * {@link IllegalArgumentException} whose message says which field is wrong: {@code id} and
 * {@code modified} are required, timestamps are RFC 3339, every range event has exactly one of
 * {@code introduced/fixed/last_affected/limit} with a string version. Fields berth does not use
 * are ignored, as the schema asks of readers of newer minor versions. An {@code affected[]} entry
 * without a {@code package} (a CVE record's GIT-only ranges) is skipped: nothing installed can
 * match it.
 */
public record OsvRecord(String id, Instant modified, Instant published, Instant withdrawn, List<String> aliases,
        List<String> upstream, String summary, String details, Severity severity, String cvssVector, Double cvssScore,
        JsonNode severities, JsonNode references, List<OsvAffected> affected) {

    static final int MAX_ID_LENGTH = 200;

    /** The distinct ecosystems of its affected packages, in order. */
    public Set<String> ecosystems() {
        Set<String> out = new LinkedHashSet<>();
        affected.forEach(a -> out.add(a.ecosystem()));
        return out;
    }

    /** Reads a record; {@link IllegalArgumentException} names what is not valid. */
    public static OsvRecord parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an OSV record is a JSON object");
        }
        String id = text(root, "id");
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("\"id\" must be a printable ASCII string of 1 to " + MAX_ID_LENGTH
                    + " characters");
        }
        Instant modified = time(root, "modified", id);
        if (modified == null) {
            throw new IllegalArgumentException(id + ": \"modified\" is required");
        }
        List<OsvAffected> affected = new ArrayList<>();
        JsonNode list = array(root, "affected", id);
        for (int k = 0; k < list.size(); k++) {
            affected(list.get(k), id + ": affected[" + k + "]").ifPresent(affected::add);
        }
        JsonNode severities = array(root, "severity", id);
        Rating rating = rating(severities);
        Severity level = rating.level()
                .or(() -> Severity.ofWord(root.path("database_specific").path("severity").asText(null)))
                .orElseGet(() -> highest(affected));
        return new OsvRecord(id, modified, time(root, "published", id), time(root, "withdrawn", id),
                strings(root, "aliases", id), strings(root, "upstream", id), text(root, "summary"),
                text(root, "details"), level, rating.vector(), rating.score(), severities,
                array(root, "references", id), affected);
    }

    private static Optional<OsvAffected> affected(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        JsonNode pkg = node.get("package");
        if (pkg == null || pkg.isNull()) {
            return Optional.empty();
        }
        String ecosystemString = text(pkg, "ecosystem");
        String name = text(pkg, "name");
        if (ecosystemString == null || ecosystemString.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException(where + ".package needs \"ecosystem\" and \"name\"");
        }
        int colon = ecosystemString.indexOf(':');
        String ecosystem = (colon < 0 ? ecosystemString : ecosystemString.substring(0, colon)).trim();
        String release = colon < 0 ? "" : ecosystemString.substring(colon + 1).trim();
        boolean os = Ecosystem.ofOsv(ecosystem).map(Ecosystem::isOs).orElse(false);
        if (!os) {
            release = "";
        } else if (release.endsWith(":LTS")) {
            // Ubuntu writes "Ubuntu:22.04:LTS"; the image says 22.04.
            release = release.substring(0, release.length() - ":LTS".length());
        }
        List<OsvRange> ranges = new ArrayList<>();
        JsonNode rs = array(node, "ranges", where);
        for (int k = 0; k < rs.size(); k++) {
            ranges.add(range(rs.get(k), where + ".ranges[" + k + "]"));
        }
        Severity own = rating(array(node, "severity", where)).level()
                .or(() -> Severity.ofWord(node.path("ecosystem_specific").path("severity").asText(null)))
                .or(() -> Severity.ofWord(node.path("database_specific").path("severity").asText(null)))
                .or(() -> Severity.ofWord(node.path("ecosystem_specific").path("urgency").asText(null)))
                .orElse(null);
        return Optional.of(new OsvAffected(ecosystem, release, OsvAffected.key(ecosystem, name), text(pkg, "purl"),
                ranges, strings(node, "versions", where), own));
    }

    private static OsvRange range(JsonNode node, String where) {
        String type = node.isObject() ? text(node, "type") : null;
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException(where + " needs a \"type\"");
        }
        List<OsvRange.Event> events = new ArrayList<>();
        JsonNode es = array(node, "events", where);
        for (int k = 0; k < es.size(); k++) {
            JsonNode e = es.get(k);
            if (!e.isObject() || e.size() != 1) {
                throw new IllegalArgumentException(where + ".events[" + k
                        + "] must have exactly one of introduced, fixed, last_affected, limit");
            }
            Map.Entry<String, JsonNode> only = e.fields().next();
            OsvRange.Kind kind = OsvRange.Kind.ofField(only.getKey());
            if (kind == null || !only.getValue().isTextual() || only.getValue().asText().isEmpty()) {
                throw new IllegalArgumentException(where + ".events[" + k + "]: \"" + only.getKey()
                        + "\" is not an event with a version string");
            }
            events.add(new OsvRange.Event(kind, only.getValue().asText()));
        }
        return new OsvRange(type, events);
    }

    /** The best rating of a severity[] array: CVSS v3 score, else v2 score, else an Ubuntu priority. */
    private record Rating(Optional<Severity> level, String vector, Double score) {}

    private static Rating rating(JsonNode severities) {
        String v2 = null;
        String word = null;
        for (JsonNode s : severities) {
            String type = s.path("type").asText("");
            String score = s.path("score").asText(null);
            if (type.equals("CVSS_V3")) {
                OptionalDouble v = Cvss.score3(score);
                if (v.isPresent()) {
                    return new Rating(Optional.of(Severity.ofCvss3(v.getAsDouble())), score, v.getAsDouble());
                }
            } else if (type.equals("CVSS_V2")) {
                v2 = score;
            } else if (type.equalsIgnoreCase("Ubuntu")) {
                word = score;
            }
        }
        OptionalDouble s2 = Cvss.score2(v2);
        if (s2.isPresent()) {
            return new Rating(Optional.of(Severity.ofCvss2(s2.getAsDouble())), v2, s2.getAsDouble());
        }
        return new Rating(Severity.ofWord(word), null, null);
    }

    private static Severity highest(List<OsvAffected> affected) {
        return affected.stream().map(OsvAffected::severity).filter(s -> s != null && s != Severity.UNKNOWN)
                .min(Enum::compareTo).orElse(Severity.UNKNOWN);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array(node, field, where).elements(); it.hasNext();) {
            JsonNode v = it.next();
            if (!v.isTextual()) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must hold strings");
            }
            out.add(v.asText());
        }
        return out;
    }

    private static Instant time(JsonNode node, String field, String where) {
        String v = text(node, field);
        if (v == null) {
            return null;
        }
        try {
            // PostgreSQL keeps microseconds; OSV may write nanoseconds ("...05.986201214Z").
            return OffsetDateTime.parse(v).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is not an RFC 3339 time: " + v);
        }
    }
}
