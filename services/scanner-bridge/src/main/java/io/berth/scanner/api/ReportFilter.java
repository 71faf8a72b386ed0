package io.berth.scanner.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.errors.ApiException;
import io.berth.scanner.metadata.ScanReports;
import io.berth.scanner.metadata.ScanTargets.Scanner;
import io.berth.scanner.vulndb.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters of {@code GET .../vulnerabilities} and the report's JSON view: {@code severity}
 * keeps the vulnerabilities at or above a level ({@code critical}, {@code high}, {@code medium},
 * {@code low}, {@code unknown}: everything); {@code q} those whose id, an alias or the package name
 * contains it, ignoring case. The summary is the whole report's; the list is sorted highest
 * severity first, then by id and package.
 *
 * @param min the lowest severity kept, or null for all
 * @param q the search, lower case, or null
 */
record ReportFilter(Severity min, String q) {

    static final int MAX_QUERY = 200;

    static ReportFilter of(String severity, String q) {
        Severity min = null;
        if (severity != null) {
            try {
                min = Severity.valueOf(severity.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("severity is one of critical, high, medium, low, unknown; not '"
                        + severity + "'");
            }
        }
        if (q != null && (q.isBlank() || q.length() > MAX_QUERY)) {
            throw ApiException.badRequest("q is 1 to " + MAX_QUERY + " characters of an id, alias or package name");
        }
        return new ReportFilter(min, q == null ? null : q.trim().toLowerCase(Locale.ROOT));
    }

    /** The severity of a finding as the report wrote it; a word berth does not rate is unknown. */
    static Severity severity(JsonNode v) {
        return Severity.ofWord(v.path("severity").asText(null)).orElse(Severity.UNKNOWN);
    }

    /** The package name of a finding: a string, or an object with a name. */
    static String packageName(JsonNode v) {
        JsonNode p = v.path("package");
        return p.isObject() ? p.path("name").asText("") : p.asText("");
    }

    boolean keeps(JsonNode v) {
        if (min != null && !severity(v).atLeast(min)) {
            return false;
        }
        if (q == null) {
            return true;
        }
        if (contains(v.path("id").asText("")) || contains(packageName(v))) {
            return true;
        }
        for (JsonNode alias : v.path("aliases")) {
            if (contains(alias.asText(""))) {
                return true;
            }
        }
        return false;
    }

    private boolean contains(String s) {
        return s.toLowerCase(Locale.ROOT).contains(q);
    }

    static Map<String, Object> view(ScanPaths.Found found, Scanner scanner, ScanReports.Report report,
            ReportFilter filter) {
        List<JsonNode> kept = new ArrayList<>();
        report.vulnerabilities().forEach(v -> {
            if (filter.keeps(v)) {
                kept.add(v);
            }
        });
        kept.sort(Comparator.comparing(ReportFilter::severity).thenComparing(v -> v.path("id").asText(""))
                .thenComparing(ReportFilter::packageName));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", found.project());
        out.put("repository", found.repository().value().substring(found.project().length() + 1));
        out.put("digest", found.artifact().digest());
        out.put("scanner", scanner.name());
        out.put("status", report.status());
        out.put("generatedAt", report.generatedAt() == null ? null : report.generatedAt().toString());
        ScanReports.Database db = report.database();
        if (db == null) {
            out.put("database", null);
        } else {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("importId", db.importId());
            d.put("importedAt", db.importedAt() == null ? null : db.importedAt().toString());
            d.put("source", db.source());
            out.put("database", d);
        }
        out.put("summary", report.summary());
        out.put("error", report.error());
        out.put("sbomDigest", report.sbomDigest());
        out.put("vulnerabilities", kept);
        return out;
    }
}
