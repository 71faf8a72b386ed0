package io.berth.scanner.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.flow.ScanEvents.ScanEventData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Writes the end of a job, on the caller's transaction: the job's row, the report
 * ({@code scan_reports}), its findings ({@code scan_findings}), what the browsing API and the
 * pull gate read ({@code manifest_scans}, only for the scanner that applies to the artifact's
 * project: the project's own, else the default) and the outbox event. Nothing is written when
 * the job is no longer the caller's (it was taken over): the methods then return false and the
 * caller rolls back.
 *
 * <p>The SBOM's publication as an OCI artifact (registry/SbomPublisher) is pending while
 * {@code sbom_digest} is null. A rescan that produced the same SBOM (its bytes are deterministic,
 * ADR 0035) keeps the digest already pushed, so the registry does not collect one artifact per
 * rescan; a different SBOM is pending again.
 *
 * <p>A failure never replaces a successful report: the artifact's content is what it was, so an
 * older report of it stays true. Only an artifact without one gets an error report.
 */
final class ReportWriter {

    private static final String APPLIES = """
            ? = coalesce((SELECT ps.scanner_id FROM project_scanners ps JOIN repositories r ON r.project_id = ps.project_id
                          WHERE r.id = ?), (SELECT id FROM scanners WHERE is_default))""";

    private final ObjectMapper json;

    ReportWriter(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Ends {@code job} with the report {@code result}: a success, or with {@code error} (an index
     * some of whose children failed) a report of status {@code error} that still lists what was
     * found. False if the job is no longer its owner's.
     */
    boolean success(Connection c, ScanJob job, ScanTarget target, ScanResult result, String error) throws SQLException {
        if (!lockManifest(c, job) || !(error == null ? ScanQueue.succeed(c, job) : ScanQueue.fail(c, job, error))) {
            return false;
        }
        String status = error == null ? "success" : "error";
        Map<String, Integer> summary = Reports.summary(result.vulnerabilities());
        List<Reports.Row> rows = Reports.rows(result.vulnerabilities());
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scan_reports (manifest_id, scanner_id, status, vulndb_import_id, generated_at, summary,
                    vulnerabilities, sbom, sbom_digest, error, warnings)
                VALUES (?, ?, ?, ?, now(), ?::jsonb, ?::jsonb, ?::jsonb, NULL, ?, ?::jsonb)
                ON CONFLICT (manifest_id, scanner_id) DO UPDATE SET status = EXCLUDED.status,
                    vulndb_import_id = EXCLUDED.vulndb_import_id, generated_at = now(), summary = EXCLUDED.summary,
                    vulnerabilities = EXCLUDED.vulnerabilities, sbom = EXCLUDED.sbom,
                    error = EXCLUDED.error, warnings = EXCLUDED.warnings,
                    sbom_digest = CASE WHEN scan_reports.sbom = EXCLUDED.sbom THEN scan_reports.sbom_digest END,
                    sbom_publish_after = CASE WHEN scan_reports.sbom = EXCLUDED.sbom
                        THEN scan_reports.sbom_publish_after ELSE now() END,
                    sbom_publish_attempts = CASE WHEN scan_reports.sbom = EXCLUDED.sbom
                        THEN scan_reports.sbom_publish_attempts ELSE 0 END,
                    sbom_publish_error = CASE WHEN scan_reports.sbom = EXCLUDED.sbom
                        THEN scan_reports.sbom_publish_error END""")) {
            s.setLong(1, job.manifestId());
            s.setLong(2, job.scannerId());
            s.setString(3, status);
            s.setObject(4, result.vulndbImportId());
            s.setString(5, write(summary));
            s.setString(6, write(result.vulnerabilities()));
            s.setString(7, result.sbom());
            s.setString(8, error);
            s.setString(9, write(result.warnings()));
            s.executeUpdate();
        }
        deleteFindings(c, job);
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scan_findings (manifest_id, scanner_id, advisory_id, ids, severity, package)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (Reports.Row r : rows) {
                s.setLong(1, job.manifestId());
                s.setLong(2, job.scannerId());
                s.setString(3, r.advisoryId());
                s.setArray(4, c.createArrayOf("text", r.ids().toArray()));
                s.setString(5, r.severity());
                s.setString(6, r.packageName() == null ? "" : r.packageName());
                s.addBatch();
            }
            s.executeBatch();
        }
        manifestScan(c, job, target, status, write(summary), write(Reports.gate(rows)), error, true);
        ScanEvents.write(c, json, error == null ? ScanEvents.COMPLETED : ScanEvents.FAILED, new ScanEventData(
                target.project(), target.repository(), target.digest(), target.mediaType(), target.scanner().name(),
                job.trigger(), summary, result.vulndbImportId(), result.warnings().size(), error));
        ScanQueue.wakeParents(c, target.repositoryId(), target.digest(), job.scannerId());
        return true;
    }

    /** Ends {@code job} as failed for good with {@code error}; false if the job is no longer its owner's. */
    boolean failure(Connection c, ScanJob job, ScanTarget target, String error) throws SQLException {
        if (!lockManifest(c, job) || !ScanQueue.fail(c, job, error)) {
            return false;
        }
        int replaced;
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scan_reports (manifest_id, scanner_id, status, generated_at, summary, vulnerabilities, error)
                VALUES (?, ?, 'error', now(), '{}', '[]', ?)
                ON CONFLICT (manifest_id, scanner_id) DO UPDATE SET status = 'error', generated_at = now(),
                    summary = '{}', vulnerabilities = '[]', sbom = NULL, sbom_digest = NULL, vulndb_import_id = NULL,
                    error = EXCLUDED.error, warnings = '[]'
                WHERE scan_reports.status <> 'success'""")) {
            s.setLong(1, job.manifestId());
            s.setLong(2, job.scannerId());
            s.setString(3, error);
            replaced = s.executeUpdate();
        }
        if (replaced == 1) {
            deleteFindings(c, job);
        }
        if (target != null) {
            manifestScan(c, job, target, "error", null, "[]", error, false);
            ScanEvents.write(c, json, ScanEvents.FAILED, new ScanEventData(target.project(), target.repository(),
                    target.digest(), target.mediaType(), target.scanner().name(), job.trigger(), null, null, null, error));
            ScanQueue.wakeParents(c, target.repositoryId(), target.digest(), job.scannerId());
        }
        return true;
    }

    /**
     * Takes the manifest's key-share lock first, the lock the report's foreign keys take anyway:
     * a concurrent delete of the manifest (registry-api, gc) then either waits for this
     * transaction or has already removed the manifest and with it the job (false), instead of
     * the two deadlocking over the job's row.
     */
    private static boolean lockManifest(Connection c, ScanJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM manifests WHERE id = ? FOR KEY SHARE")) {
            s.setLong(1, job.manifestId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void deleteFindings(Connection c, ScanJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM scan_findings WHERE manifest_id = ? AND scanner_id = ?")) {
            s.setLong(1, job.manifestId());
            s.setLong(2, job.scannerId());
            s.executeUpdate();
        }
    }

    /**
     * Sets {@code manifest_scans} if the job's scanner is the one that applies to the artifact's
     * project. An error does not replace that scanner's success.
     */
    private static void manifestScan(Connection c, ScanJob job, ScanTarget target, String status, String summary,
            String gate, String error, boolean replaceSuccess) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO manifest_scans (manifest_id, status, summary, scanner_id, gate, error, updated_at)
                SELECT ?, ?, ?::jsonb, ?, ?::jsonb, ?, now() WHERE""" + " " + APPLIES + """

                ON CONFLICT (manifest_id) DO UPDATE SET status = EXCLUDED.status, summary = EXCLUDED.summary,
                    scanner_id = EXCLUDED.scanner_id, gate = EXCLUDED.gate, error = EXCLUDED.error, updated_at = now()
                WHERE ? OR manifest_scans.status <> 'success' OR manifest_scans.scanner_id IS DISTINCT FROM EXCLUDED.scanner_id""")) {
            s.setLong(1, job.manifestId());
            s.setString(2, status);
            s.setString(3, summary);
            s.setLong(4, job.scannerId());
            s.setString(5, gate);
            s.setString(6, error);
            s.setLong(7, job.scannerId());
            s.setLong(8, target.repositoryId());
            s.setBoolean(9, replaceSuccess);
            s.executeUpdate();
        }
    }

    /**
     * Queues a rescan of a built-in report matched against {@code vulndbImportId} when an import
     * that changed records has committed since (it ran while this scan did, and its own rescan
     * could not join this running job).
     */
    static void rescanIfOutdated(Connection c, ScanJob job, Long vulndbImportId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM vuln_imports WHERE status = 'succeeded' AND id > ?
                               AND added + updated + withdrawn > 0)""")) {
            s.setLong(1, vulndbImportId == null ? 0 : vulndbImportId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
        }
        ScanQueue.enqueue(c, job.manifestId(), job.scannerId(), "rescan", ScanQueue.RESCAN, null);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report that Jackson cannot write: " + e.getMessage(), e);
        }
    }
}
