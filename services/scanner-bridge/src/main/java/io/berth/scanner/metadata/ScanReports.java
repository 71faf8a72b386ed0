package io.berth.scanner.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads what the workers wrote for an artifact and a scanner: the report ({@code scan_reports},
 * with the vulnerability database import it was matched against), its SBOM, and the state of its
 * scan (to say why there is no report yet).
 */
@ApplicationScoped
public class ScanReports {

    private final DataSource db;
    private final ObjectMapper json;

    public ScanReports(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * A report.
     *
     * @param status {@code success} or {@code error}
     * @param database the import of the vulnerability database it was matched against, or null
     * @param summary counts by severity, as the worker wrote them
     * @param vulnerabilities the findings, a JSON array
     */
    public record Report(String status, Instant generatedAt, Database database, JsonNode summary,
            JsonNode vulnerabilities, String error, String sbomDigest) {}

    /** A vulnerability database import: its id, when it finished and what it was called. */
    public record Database(long importId, Instant importedAt, String source) {}

    /** A scan's state: the open job's id and status ({@code queued}, {@code running}), or {@code failed} with the error. */
    public record Job(long id, String status, String error) {}

    /** The report of the manifest by the scanner, if there is one. */
    public Optional<Report> report(long manifestId, long scannerId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.status, r.generated_at, r.vulndb_import_id, i.finished_at, i.source,
                    r.summary::text, r.vulnerabilities::text, r.error, r.sbom_digest
                FROM scan_reports r LEFT JOIN vuln_imports i ON i.id = r.vulndb_import_id
                WHERE r.manifest_id = ? AND r.scanner_id = ?""")) {
            ps.setLong(1, manifestId);
            ps.setLong(2, scannerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Database database = rs.getObject(3) == null ? null
                        : new Database(rs.getLong(3), instant(rs.getTimestamp(4)), rs.getString(5));
                return Optional.of(new Report(rs.getString(1), instant(rs.getTimestamp(2)), database,
                        json.readTree(rs.getString(6)), json.readTree(rs.getString(7)), rs.getString(8),
                        rs.getString(9)));
            }
        } catch (SQLException e) {
            throw ScanTargets.failure("read a scan report", e);
        } catch (IOException e) {
            throw new IllegalStateException("a scan report in PostgreSQL is not JSON", e);
        }
    }

    /** The CycloneDX JSON SBOM of the manifest by the scanner, if it made one. */
    public Optional<String> sbom(long manifestId, long scannerId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sbom::text FROM scan_reports WHERE manifest_id = ? AND scanner_id = ? AND sbom IS NOT NULL")) {
            ps.setLong(1, manifestId);
            ps.setLong(2, scannerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw ScanTargets.failure("read an SBOM", e);
        }
    }

    /**
     * Where the artifact's scan by the scanner stands when it has no report: its open job (the
     * one-open index finds it), else the error the last scan left on {@code manifest_scans}.
     */
    public Optional<Job> state(long manifestId, long scannerId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT j.id, j.status, ms.error
                FROM (SELECT 1) one
                LEFT JOIN scan_jobs j ON j.manifest_id = ? AND j.scanner_id = ? AND j.status IN ('queued', 'running')
                LEFT JOIN manifest_scans ms ON ms.manifest_id = ? AND ms.status = 'error'
                    AND (ms.scanner_id IS NULL OR ms.scanner_id = ?)""")) {
            ps.setLong(1, manifestId);
            ps.setLong(2, scannerId);
            ps.setLong(3, manifestId);
            ps.setLong(4, scannerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getObject(1) != null) {
                    return Optional.of(new Job(rs.getLong(1), rs.getString(2), null));
                }
                return rs.getString(3) == null ? Optional.empty() : Optional.of(new Job(0, "failed", rs.getString(3)));
            }
        } catch (SQLException e) {
            throw ScanTargets.failure("read a scan job", e);
        }
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
