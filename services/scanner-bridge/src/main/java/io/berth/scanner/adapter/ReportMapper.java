package io.berth.scanner.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.scanner.vulndb.Severity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the spec's JSON documents (metadata, the vulnerability report) into berth's records, and
 * says precisely what is wrong with one that does not fit: a report is stored only if every
 * vulnerability has an id, a package, a version and a severity the spec defines.
 */
final class ReportMapper {

    /** A report with more vulnerabilities than this is refused (a real image has a few thousand at most). */
    static final int MAX_VULNERABILITIES = 200_000;

    private ReportMapper() {}

    static AdapterMetadata metadata(ScannerEndpoint endpoint, JsonNode node) throws AdapterException {
        String who = "scanner " + endpoint.name() + "'s metadata";
        JsonNode scanner = node.path("scanner");
        if (!scanner.path("name").isTextual() || scanner.path("name").asText().isBlank()) {
            throw malformed(who + " has no scanner.name: is " + endpoint.url() + " a Pluggable Scanner API?");
        }
        JsonNode caps = node.path("capabilities");
        if (!caps.isArray() || caps.isEmpty()) {
            throw malformed(who + " has no capabilities");
        }
        List<AdapterMetadata.Capability> capabilities = new ArrayList<>();
        for (int i = 0; i < caps.size(); i++) {
            JsonNode c = caps.get(i);
            String type = c.path("type").isTextual() ? c.path("type").asText() : "vulnerability";
            capabilities.add(new AdapterMetadata.Capability(type,
                    strings(c.path("consumes_mime_types"), who + " capabilities[" + i + "].consumes_mime_types", true),
                    strings(c.path("produces_mime_types"), who + " capabilities[" + i + "].produces_mime_types", true),
                    strings(c.path("additional_attributes").path("sbom_media_types"), who, false)));
        }
        Map<String, String> properties = new LinkedHashMap<>();
        node.path("properties").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                properties.put(e.getKey(), e.getValue().asText());
            }
        });
        return new AdapterMetadata(scanner.path("name").asText(), scanner.path("vendor").asText(null),
                scanner.path("version").asText(null), capabilities, properties);
    }

    static AdapterReport report(ScannerEndpoint endpoint, AdapterMetadata metadata, String reportType, JsonNode node,
            String sbomType, String sbom) throws AdapterException {
        String who = "scanner " + endpoint.name() + "'s report";
        JsonNode items = node.path("vulnerabilities");
        if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
            throw malformed(who + " has vulnerabilities that are not a list");
        }
        if (items.size() > MAX_VULNERABILITIES) {
            throw malformed(who + " has more than " + MAX_VULNERABILITIES + " vulnerabilities");
        }
        List<AdapterVulnerability> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(vulnerability(items.get(i), who + " vulnerabilities[" + i + "]"));
        }
        JsonNode scanner = node.path("scanner");
        AdapterReport.Scanner s = new AdapterReport.Scanner(scanner.path("name").asText(metadata.name()),
                scanner.path("vendor").asText(metadata.vendor()), scanner.path("version").asText(metadata.version()));
        return new AdapterReport(s, instant(node.path("generated_at")), reportType, out, sbom == null ? null : sbomType, sbom);
    }

    private static AdapterVulnerability vulnerability(JsonNode v, String where) throws AdapterException {
        if (!v.isObject()) {
            throw malformed(where + " is not an object");
        }
        String id = text(v, "id", where, true);
        String pkg = text(v, "package", where, true);
        String version = text(v, "version", where, true);
        String fixed = text(v, "fix_version", where, false);
        Severity severity = severity(v.path("severity"), where);
        Double score = null;
        JsonNode cvss = v.path("preferred_cvss");
        if (cvss.path("score_v3").isNumber()) {
            score = cvss.path("score_v3").asDouble();
        } else if (cvss.path("score_v2").isNumber()) {
            score = cvss.path("score_v2").asDouble();
        }
        JsonNode vendor = v.path("vendor_attributes");
        Set<String> aliases = new LinkedHashSet<>();
        if (vendor.path("aliases").isArray()) {
            vendor.path("aliases").forEach(a -> {
                if (a.isTextual() && !a.asText().equals(id)) {
                    aliases.add(a.asText());
                }
            });
        }
        List<String> links = new ArrayList<>();
        if (v.path("links").isArray()) {
            v.path("links").forEach(l -> {
                if (l.isTextual()) {
                    links.add(l.asText());
                }
            });
        }
        String purl = vendor.path("purl").isTextual() ? vendor.path("purl").asText() : null;
        return new AdapterVulnerability(id, List.copyOf(aliases), pkg, version, fixed == null || fixed.isBlank() ? null
                : fixed, severity, score, text(v, "description", where, false), links, purl);
    }

    /** The spec's levels in berth's: Negligible is LOW (berth has no lower level); a missing one is UNKNOWN. */
    static Severity severity(JsonNode node, String where) throws AdapterException {
        if (node.isMissingNode() || node.isNull()) {
            return Severity.UNKNOWN;
        }
        return switch (node.asText().toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "high" -> Severity.HIGH;
            case "medium" -> Severity.MEDIUM;
            case "low", "negligible" -> Severity.LOW;
            case "unknown", "" -> Severity.UNKNOWN;
            default -> throw malformed(where + " has the severity " + node.asText()
                    + ", which is none of Unknown, Negligible, Low, Medium, High, Critical");
        };
    }

    private static String text(JsonNode v, String field, String where, boolean required) throws AdapterException {
        JsonNode f = v.path(field);
        if (f.isTextual() && (!required || !f.asText().isBlank())) {
            return f.asText();
        }
        if (f.isMissingNode() || f.isNull()) {
            if (required) {
                throw malformed(where + " has no " + field);
            }
            return null;
        }
        throw malformed(where + "." + field + " is not a string");
    }

    private static List<String> strings(JsonNode node, String where, boolean required) throws AdapterException {
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw malformed(where + " is missing");
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw malformed(where + " is not a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw malformed(where + " holds a value that is not a string");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static Instant instant(JsonNode node) {
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // a report's time is informative; a bad one is replaced by the time received
            }
        }
        return Instant.now();
    }

    private static AdapterException malformed(String message) {
        return new AdapterException(AdapterException.Reason.MALFORMED, message);
    }
}
