package io.berth.scanner.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reads what a job scans: its manifest, repository, project and scanner, in one query. */
final class ScanTargets {

    private ScanTargets() {}

    /** The job's target; empty when the manifest or scanner is gone (its job goes with it, by cascade). */
    static Optional<ScanTarget> load(Connection c, ScanJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT m.id, m.repository_id, r.name, p.name, m.digest, m.media_type, m.content, m.pushed_at,
                       s.id, s.name, s.kind, s.url, s.auth_kind, s.auth_secret, s.insecure, s.disabled
                FROM manifests m JOIN repositories r ON r.id = m.repository_id JOIN projects p ON p.id = r.project_id
                CROSS JOIN scanners s
                WHERE m.id = ? AND s.id = ?""")) {
            s.setLong(1, job.manifestId());
            s.setLong(2, job.scannerId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ScannerRow scanner = new ScannerRow(rs.getLong(9), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getBytes(14), rs.getBoolean(15), rs.getBoolean(16));
                return Optional.of(new ScanTarget(job.id(), job.trigger(), rs.getLong(1), rs.getLong(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getBytes(7),
                        rs.getTimestamp(8).toInstant(), scanner));
            }
        }
    }

    /** Shows the scan as running where the browsing API reads it, unless a finished result is there. */
    static void markRunning(Connection c, ScanJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE manifest_scans SET status = 'running', updated_at = now()
                WHERE manifest_id = ? AND scanner_id = ? AND status = 'pending'""")) {
            s.setLong(1, job.manifestId());
            s.setLong(2, job.scannerId());
            s.executeUpdate();
        }
    }
}
