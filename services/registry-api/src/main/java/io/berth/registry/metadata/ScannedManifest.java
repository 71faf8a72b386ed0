package io.berth.registry.metadata;

/**
 * A manifest to be pulled from a project whose pull gate is on, with what scanner-bridge recorded
 * of it in {@code manifest_scans}.
 *
 * @param manifest the manifest, with its bytes
 * @param scanStatus the row's status ({@code pending}, {@code running}, {@code success},
 *     {@code error}), or null if the artifact has no row
 * @param hasReport whether a scan ever finished: the status is {@code success}, or the row kept
 *     the summary of an earlier report while a rescan is queued, runs or failed
 * @param findings the entries of {@code manifest_scans.gate} at or above the threshold asked for,
 *     as a JSON array ({@code [{"ids": [...], "severity": "high"}]}), or null if there are none
 */
public record ScannedManifest(StoredManifest manifest, String scanStatus, boolean hasReport, String findings) {}
