package io.berth.scanner.pluggable;

import io.berth.scanner.vulndb.Finding;
import java.time.Instant;
import java.util.List;

/**
 * What the built-in scanner found in one image.
 *
 * @param generatedAt when the scan finished
 * @param findings the matched vulnerabilities
 * @param sbom the CycloneDX JSON SBOM
 * @param packages how many packages the inventory listed
 * @param os the image config's os, or null
 * @param architecture the image config's architecture, or null
 */
record ScanResult(Instant generatedAt, List<Finding> findings, byte[] sbom, int packages, String os,
        String architecture) {}
