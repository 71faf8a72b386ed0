package io.berth.scanner.pluggable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.adapter.SpecMediaTypes;
import io.berth.scanner.vulndb.Finding;
import io.berth.scanner.vulndb.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spec's reports of a finished scan: {@code HarborVulnerabilityReport} and (v1.2)
 * {@code HarborSbomReport}.
 *
 * <p>A finding's {@code id} is its CVE when the advisory has one as an alias (what Harbor's CVE
 * allowlists and its console expect), else the advisory's own id; every other id (GHSA-...,
 * DEBIAN-CVE-...) is in {@code vendor_attributes.aliases}, with the package URL, ecosystem and
 * path, so a client of berth's server loses nothing. Several fixed versions are joined with
 * {@code ", "}; Negligible is never written (berth has no such level).
 */
final class SpecReports {

    private SpecReports() {}

    static Map<String, Object> vulnerabilities(PluggableScans.Entry entry, Map<String, Object> scanner) {
        ScanResult r = entry.result;
        Map<String, Object> out = head(entry, scanner);
        Severity highest = null;
        List<Map<String, Object>> items = new ArrayList<>();
        for (Finding f : r.findings()) {
            items.add(item(f));
            highest = highest == null || f.severity().ordinal() < highest.ordinal() ? f.severity() : highest;
        }
        if (highest != null) {
            out.put("severity", word(highest));
        }
        out.put("vulnerabilities", items);
        return out;
    }

    static Map<String, Object> sbom(PluggableScans.Entry entry, Map<String, Object> scanner, ObjectMapper json) {
        Map<String, Object> out = head(entry, scanner);
        out.put("vendor_attributes", Map.of("packages", entry.result.packages()));
        out.put("media_type", SpecMediaTypes.CYCLONEDX);
        try {
            JsonNode doc = json.readTree(entry.result.sbom());
            out.put("sbom", doc);
        } catch (IOException e) {
            throw new UncheckedIOException("the SBOM berth wrote does not parse", e);
        }
        return out;
    }

    private static Map<String, Object> head(PluggableScans.Entry entry, Map<String, Object> scanner) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated_at", entry.result.generatedAt().toString());
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("repository", entry.request.repository());
        artifact.put("digest", entry.request.digest());
        if (entry.request.tag() != null) {
            artifact.put("tag", entry.request.tag());
        }
        if (entry.request.mimeType() != null) {
            artifact.put("mime_type", entry.request.mimeType());
        }
        out.put("artifact", artifact);
        out.put("scanner", scanner);
        return out;
    }

    private static Map<String, Object> item(Finding f) {
        String id = f.aliases().stream().filter(a -> a.startsWith("CVE-")).findFirst().orElse(f.advisoryId());
        Set<String> aliases = new LinkedHashSet<>();
        aliases.add(f.advisoryId());
        aliases.addAll(f.aliases());
        aliases.remove(id);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("package", f.packageName());
        v.put("version", f.installedVersion());
        if (!f.fixedVersions().isEmpty()) {
            v.put("fix_version", String.join(", ", f.fixedVersions()));
        }
        v.put("severity", word(f.severity()));
        if (f.summary() != null) {
            v.put("description", f.summary());
        }
        v.put("links", f.links());
        if (f.cvssScore() != null) {
            v.put("preferred_cvss", Map.of("score_v3", f.cvssScore()));
        }
        Map<String, Object> vendor = new LinkedHashMap<>();
        vendor.put("aliases", List.copyOf(aliases));
        vendor.put("advisory_id", f.advisoryId());
        vendor.put("ecosystem", f.ecosystem());
        if (f.purl() != null) {
            vendor.put("purl", f.purl());
        }
        if (f.path() != null) {
            vendor.put("path", f.path());
        }
        v.put("vendor_attributes", vendor);
        return v;
    }

    static String word(Severity s) {
        return switch (s) {
            case CRITICAL -> "Critical";
            case HIGH -> "High";
            case MEDIUM -> "Medium";
            case LOW -> "Low";
            case UNKNOWN -> "Unknown";
        };
    }
}
