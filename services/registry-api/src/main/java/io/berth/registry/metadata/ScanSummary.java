package io.berth.registry.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What scanner-bridge says about an artifact's vulnerabilities ({@code manifest_scans}, written by
 * scanner-bridge only), as the browsing API shows it beside each artifact.
 *
 * @param status {@code pending} (a scan is queued), {@code running}, {@code success} or {@code error}
 * @param summary counts by severity of the last report ({@code {"critical": 0, "high": 2, ...}}),
 *     kept while a new scan is pending; null before the first report
 * @param scanner the name of the scanner that applies to the artifact, or null if unknown
 * @param updatedAt when scanner-bridge last changed it
 */
public record ScanSummary(String status, JsonNode summary, String scanner, Instant updatedAt) {}
