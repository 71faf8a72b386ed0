package io.berth.scanner.flow;

import java.util.List;

/**
 * What a scanner found in one artifact.
 *
 * @param vulnerabilities one per advisory and installed package
 * @param sbom the CycloneDX JSON document, or null when the scanner made none
 * @param warnings what the scan skipped and why (a file over its cap, a corrupt package database); bounded
 * @param vulndbImportId the vulnerability database the report was matched against (the last
 *     succeeded {@code vuln_imports} id), or null (an adapter's own database, or none imported)
 */
public record ScanResult(List<Vulnerability> vulnerabilities, String sbom, List<String> warnings, Long vulndbImportId) {

    public ScanResult {
        vulnerabilities = List.copyOf(vulnerabilities);
        warnings = List.copyOf(warnings);
    }

    /** A report with nothing found (an artifact that is not an image). */
    public static ScanResult empty(Long vulndbImportId, List<String> warnings) {
        return new ScanResult(List.of(), null, warnings, vulndbImportId);
    }
}
