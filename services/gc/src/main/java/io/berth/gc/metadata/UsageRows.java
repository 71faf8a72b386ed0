package io.berth.gc.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * A project's usage row ({@code project_usage}, owned by registry-api) as gc changes it: locked
 * first in every transaction that deletes what a project holds (the lock order of ADR 0027), and
 * measured with the definition of V10__registry_project_usage.sql (each blob once, if a link of
 * the project is pending or referenced by a manifest of its repository, plus each distinct
 * manifest), so a deletion subtracts exactly what it freed.
 */
public final class UsageRows {

    private UsageRows() {}

    /** Locks the project's usage row, creating it at 0 if the project never held anything. */
    public static void lock(Connection c, long projectId) throws SQLException {
        try (var ps = c.prepareStatement(
                "INSERT INTO project_usage (project_id) VALUES (?) ON CONFLICT (project_id) DO NOTHING")) {
            ps.setLong(1, projectId);
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("SELECT stored_bytes FROM project_usage WHERE project_id = ? FOR UPDATE")) {
            ps.setLong(1, projectId);
            ps.executeQuery().close();
        }
    }

    /** The bytes the project holds of these blob and manifest digests. */
    public static long held(Connection c, long projectId, Collection<String> blobDigests,
            Collection<String> manifestDigests) throws SQLException {
        long bytes = 0;
        if (!blobDigests.isEmpty()) {
            bytes += sum(c, projectId, blobDigests, """
                    SELECT coalesce(sum(size), 0) FROM (
                        SELECT DISTINCT rb.digest, b.size FROM repository_blobs rb
                        JOIN repositories r ON r.id = rb.repository_id
                        JOIN blobs b ON b.digest = rb.digest
                        WHERE r.project_id = ? AND rb.digest = ANY (?) AND (rb.pending OR EXISTS (
                            SELECT 1 FROM manifests m
                            JOIN manifest_references mr
                                ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
                            WHERE m.repository_id = rb.repository_id))) held""");
        }
        if (!manifestDigests.isEmpty()) {
            bytes += sum(c, projectId, manifestDigests, """
                    SELECT coalesce(sum(size), 0) FROM (
                        SELECT DISTINCT m.digest, m.size FROM manifests m
                        JOIN repositories r ON r.id = m.repository_id
                        WHERE r.project_id = ? AND m.digest = ANY (?)) held""");
        }
        return bytes;
    }

    /** Adds {@code delta} to the project's usage; the row must be locked. */
    public static void add(Connection c, long projectId, long delta) throws SQLException {
        if (delta == 0) {
            return;
        }
        try (var ps = c.prepareStatement(
                "UPDATE project_usage SET stored_bytes = stored_bytes + ?, updated_at = now() WHERE project_id = ?")) {
            ps.setLong(1, delta);
            ps.setLong(2, projectId);
            ps.executeUpdate();
        }
    }

    /**
     * Sets the project's usage to what it really holds (the lock must be taken) and returns the
     * correction: 0 when there was no drift.
     */
    public static long reconcile(Connection c, long projectId) throws SQLException {
        try (var ps = c.prepareStatement("""
                WITH actual AS (
                    SELECT coalesce((SELECT sum(size) FROM (
                        SELECT DISTINCT rb.digest, b.size FROM repository_blobs rb
                        JOIN repositories r ON r.id = rb.repository_id
                        JOIN blobs b ON b.digest = rb.digest
                        WHERE r.project_id = ?1 AND (rb.pending OR EXISTS (
                            SELECT 1 FROM manifests m
                            JOIN manifest_references mr
                                ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
                            WHERE m.repository_id = rb.repository_id))) b), 0)
                    + coalesce((SELECT sum(size) FROM (
                        SELECT DISTINCT m.digest, m.size FROM manifests m
                        JOIN repositories r ON r.id = m.repository_id WHERE r.project_id = ?1) m), 0) AS bytes),
                old AS (SELECT stored_bytes FROM project_usage WHERE project_id = ?1)
                UPDATE project_usage u SET stored_bytes = actual.bytes, updated_at = now()
                FROM actual, old WHERE u.project_id = ?1 AND u.stored_bytes <> actual.bytes
                RETURNING actual.bytes - old.stored_bytes""".replace("?1", "?"))) {
            for (int i = 1; i <= 4; i++) {
                ps.setLong(i, projectId);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static long sum(Connection c, long projectId, Collection<String> digests, String sql) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setArray(2, c.createArrayOf("text", digests.stream().distinct().toArray()));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
