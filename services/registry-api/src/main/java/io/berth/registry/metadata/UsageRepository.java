package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A project's storage usage ({@code project_usage}) and the settings a push is checked against
 * (auth's {@code projects}), in plain SQL that joins the caller's transaction.
 *
 * <p>What a project holds is defined in V10__registry_project_usage.sql (and its view
 * {@code project_usage_actual}): each blob once, if one of the project's repositories links it
 * and the link is pending or referenced by a manifest of that repository, plus each distinct
 * manifest. {@link #heldBlobs} and {@link #heldManifests} ask exactly that for a few digests, so
 * a change can be measured by asking before and after it. Database failures become
 * {@link MetadataUnavailableException}.
 */
@ApplicationScoped
public class UsageRepository {

    /**
     * A project as a write sees it: its settings and, when read by {@link #lock}, its usage.
     *
     * @param quotaBytes the quota, or null for none
     * @param immutableTagRules the rules as stored (a JSON array)
     */
    public record ProjectState(long id, String name, Long quotaBytes, String immutableTagRules, long usedBytes) {}

    private static final String LOCK = """
            SELECT p.name, p.quota_bytes, p.immutable_tag_rules::text, u.stored_bytes
            FROM project_usage u JOIN projects p ON p.id = u.project_id
            WHERE u.project_id = ? FOR UPDATE OF u""";

    private final DataSource db;

    public UsageRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Locks the project's usage row (creating it at 0 for a project that never held anything)
     * and reads its quota, rules and usage. Every write that changes what a project holds takes
     * this lock first, so they follow one another per project and a check cannot be overtaken.
     * Must run inside a transaction.
     */
    public ProjectState lock(long projectId) {
        try (Connection c = db.getConnection()) {
            Optional<ProjectState> locked = lock(c, projectId);
            if (locked.isPresent()) {
                return locked.get();
            }
            try (var ps = c.prepareStatement(
                    "INSERT INTO project_usage (project_id) VALUES (?) ON CONFLICT (project_id) DO NOTHING")) {
                ps.setLong(1, projectId);
                ps.executeUpdate();
            }
            return lock(c, projectId).orElseThrow(
                    () -> new MetadataUnavailableException("project " + projectId + " disappeared", null));
        } catch (SQLException e) {
            throw Sql.failure("lock the usage of project " + projectId, e);
        }
    }

    /** The project's quota and rules, read without locking; {@code usedBytes} is -1. */
    public ProjectState settings(long projectId) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT name, quota_bytes, immutable_tag_rules::text FROM projects WHERE id = ?")) {
            ps.setLong(1, projectId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new MetadataUnavailableException("project " + projectId + " disappeared", null);
                }
                long quota = rs.getLong(2);
                return new ProjectState(projectId, rs.getString(1), rs.wasNull() ? null : quota, rs.getString(3), -1);
            }
        } catch (SQLException e) {
            throw Sql.failure("read the settings of project " + projectId, e);
        }
    }

    /** Those of {@code digests} the project holds as blobs, with their sizes. */
    public Map<String, Long> heldBlobs(long projectId, Collection<String> digests) {
        return sizes(projectId, digests, """
                SELECT DISTINCT rb.digest, b.size FROM repository_blobs rb
                JOIN repositories r ON r.id = rb.repository_id
                JOIN blobs b ON b.digest = rb.digest
                WHERE r.project_id = ? AND rb.digest = ANY (?) AND (rb.pending OR EXISTS (
                    SELECT 1 FROM manifests m
                    JOIN manifest_references mr
                        ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
                    WHERE m.repository_id = rb.repository_id))""");
    }

    /** Those of {@code digests} that are manifests of the project, with their sizes. */
    public Map<String, Long> heldManifests(long projectId, Collection<String> digests) {
        return sizes(projectId, digests, """
                SELECT DISTINCT m.digest, m.size FROM manifests m
                JOIN repositories r ON r.id = m.repository_id
                WHERE r.project_id = ? AND m.digest = ANY (?)""");
    }

    /** Adds {@code delta} (negative after a delete) to the project's usage; the row must be locked. */
    public void add(long projectId, long delta) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "UPDATE project_usage SET stored_bytes = stored_bytes + ?, updated_at = now() WHERE project_id = ?")) {
            ps.setLong(1, delta);
            ps.setLong(2, projectId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("record the usage of project " + projectId, e);
        }
    }

    private Map<String, Long> sizes(long projectId, Collection<String> digests, String sql) {
        Map<String, Long> sizes = new HashMap<>();
        if (digests.isEmpty()) {
            return sizes;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setArray(2, c.createArrayOf("text", digests.stream().distinct().toArray()));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1), rs.getLong(2));
                }
            }
            return sizes;
        } catch (SQLException e) {
            throw Sql.failure("measure the usage of project " + projectId, e);
        }
    }

    private static Optional<ProjectState> lock(Connection c, long projectId) throws SQLException {
        try (var ps = c.prepareStatement(LOCK)) {
            ps.setLong(1, projectId);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long quota = rs.getLong(2);
                Long quotaBytes = rs.wasNull() ? null : quota;
                return Optional.of(new ProjectState(projectId, rs.getString(1), quotaBytes, rs.getString(3),
                        rs.getLong(4)));
            }
        }
    }
}
