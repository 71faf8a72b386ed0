package io.berth.scanner.adapter;

import io.berth.scanner.vulndb.Severity;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one adapter scan produced, ready for the scan flow to store.
 *
 * @param scanner the adapter's scanner name, vendor and version from its report (else its metadata)
 * @param generatedAt when the adapter generated the report, or when berth received it
 * @param reportMediaType the vulnerability report's media type as the adapter answered it
 * @param vulnerabilities the vulnerabilities, in the adapter's order
 * @param sbomMediaType the SBOM's format ({@code application/vnd.cyclonedx+json} or SPDX), or null if the adapter gives none
 * @param sbom the SBOM document as JSON (the report's {@code sbom} member), or null
 */
public record AdapterReport(Scanner scanner, Instant generatedAt, String reportMediaType,
        List<AdapterVulnerability> vulnerabilities, String sbomMediaType, String sbom) {

    public AdapterReport {
        vulnerabilities = List.copyOf(vulnerabilities);
    }

    /** A scanner as a report names it. */
    public record Scanner(String name, String vendor, String version) {}

    /** The count per severity, every level present. */
    public Map<Severity, Integer> countsBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        vulnerabilities.forEach(v -> counts.merge(v.severity(), 1, Integer::sum));
        return counts;
    }
}
