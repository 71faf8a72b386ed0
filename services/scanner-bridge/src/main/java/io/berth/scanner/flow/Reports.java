package io.berth.scanner.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The derived parts of a report, pure functions of its vulnerabilities: the summary counts, the
 * {@code scan_findings} rows, the pull gate's entries, and an index's union of its children.
 */
final class Reports {

    private Reports() {}

    /** One {@code scan_findings} row and one gate entry: an advisory in a package. */
    record Row(String advisoryId, List<String> ids, String severity, String packageName) {}

    /**
     * {@code {"critical": n, "high": n, "medium": n, "low": n, "unknown": n, "total": n, "fixable": n}}:
     * one count per vulnerability of the report; fixable ones have a fixed version.
     */
    static Map<String, Integer> summary(Collection<Vulnerability> vulnerabilities) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Vulnerability.SEVERITIES.forEach(s -> out.put(s, 0));
        int fixable = 0;
        for (Vulnerability v : vulnerabilities) {
            out.merge(v.severity(), 1, Integer::sum);
            if (v.fixedVersion() != null && !v.fixedVersion().isBlank()) {
                fixable++;
            }
        }
        out.put("total", vulnerabilities.size());
        out.put("fixable", fixable);
        return out;
    }

    /**
     * One row per advisory and package name (two installed versions of one package are one row),
     * at the highest severity found: the rows of {@code scan_findings}, and the entries of
     * {@code manifest_scans.gate}.
     */
    static List<Row> rows(Collection<Vulnerability> vulnerabilities) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Vulnerability v : vulnerabilities) {
            Row row = new Row(v.id(), v.ids(), v.severity(), v.packageName());
            rows.merge(v.id() + "\u0000" + v.packageName(), row,
                    (a, b) -> Vulnerability.SEVERITIES.indexOf(a.severity()) <= Vulnerability.SEVERITIES.indexOf(b.severity()) ? a : b);
        }
        return new ArrayList<>(rows.values());
    }

    /** {@code [{"ids": [...], "severity": "high"}]}, one per row. */
    static List<Map<String, Object>> gate(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ids", r.ids());
            entry.put("severity", r.severity());
            out.add(entry);
        }
        return out;
    }

    /**
     * The union of reports: each vulnerability once per advisory, package and installed version,
     * most severe first.
     */
    static List<Vulnerability> union(Collection<List<Vulnerability>> reports) {
        Map<String, Vulnerability> all = new LinkedHashMap<>();
        for (List<Vulnerability> report : reports) {
            for (Vulnerability v : report) {
                all.putIfAbsent(v.id() + "\u0000" + v.ecosystem() + "\u0000" + v.packageName() + "\u0000"
                        + v.installedVersion(), v);
            }
        }
        List<Vulnerability> out = new ArrayList<>(all.values());
        out.sort(java.util.Comparator.comparingInt(Vulnerability::rank).thenComparing(Vulnerability::id)
                .thenComparing(v -> String.valueOf(v.packageName())));
        return out;
    }
}
