package io.berth.scanner.flow;

import io.berth.scanner.metadata.Scannable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Queues the scan of a pushed manifest when its project scans on push
 * ({@code projects.vulnerability_policy.scanOnPush}), with the scanner that applies to the
 * project: its own ({@code project_scanners}), else the default ({@code scanners.is_default});
 * a disabled scanner scans nothing. A manifest that already has a successful report by that
 * scanner is not scanned again (a digest's content never changes; a database change rescans
 * it, a manual scan can too); pushes of one digest while its scan waits or runs join that job.
 * {@code manifest_scans} says {@code pending}, except where a finished report already is.
 */
final class PushTrigger {

    // Only images and indexes (Scannable, as the scan API): a signature or an SBOM artifact,
    // scanner-bridge's own included (ADR 0035), has no packages and is not queued.
    private static final String TARGET = """
            SELECT m.id, s.id
            FROM repositories r JOIN projects p ON p.id = r.project_id
            JOIN manifests m ON m.repository_id = r.id AND m.digest = ?
            LEFT JOIN project_scanners ps ON ps.project_id = p.id
            JOIN scanners s ON s.id = coalesce(ps.scanner_id, (SELECT id FROM scanners WHERE is_default))
            WHERE r.name = ? AND p.vulnerability_policy -> 'scanOnPush' = 'true'::jsonb AND NOT s.disabled
              AND """ + Scannable.SQL + """

              AND NOT EXISTS (SELECT 1 FROM scan_reports sr WHERE sr.manifest_id = m.id AND sr.scanner_id = s.id
                              AND sr.status = 'success')""";

    private final DataSource db;

    PushTrigger(DataSource db) {
        this.db = db;
    }

    /**
     * Queues the scan of {@code repository@digest} if it is due.
     *
     * @return the new job's id; empty when nothing was queued (no such manifest, scan on push off,
     *     a report already there, or a job already open)
     */
    OptionalLong pushed(String repository, String digest) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                OptionalLong job = OptionalLong.empty();
                long manifest;
                long scanner;
                try (PreparedStatement s = c.prepareStatement(TARGET)) {
                    s.setString(1, digest);
                    s.setString(2, repository);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return job;
                        }
                        manifest = rs.getLong(1);
                        scanner = rs.getLong(2);
                    }
                }
                job = ScanQueue.enqueue(c, manifest, scanner, "push", ScanQueue.PUSH, null);
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO manifest_scans (manifest_id, status, scanner_id) VALUES (?, 'pending', ?)
                        ON CONFLICT (manifest_id) DO UPDATE SET status = 'pending', scanner_id = EXCLUDED.scanner_id,
                            error = NULL, updated_at = now()
                        WHERE manifest_scans.status NOT IN ('success', 'running')
                           OR manifest_scans.scanner_id IS DISTINCT FROM EXCLUDED.scanner_id""")) {
                    s.setLong(1, manifest);
                    s.setLong(2, scanner);
                    s.executeUpdate();
                }
                c.commit();
                return job;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
