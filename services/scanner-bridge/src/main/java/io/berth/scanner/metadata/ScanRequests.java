package io.berth.scanner.metadata;

import io.berth.scanner.flow.ScanWorkers;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Adds scan jobs to the queue ({@code scan_jobs}, V18) for the scan API: one artifact, a project,
 * everything. Each is one statement: the jobs go in with {@code ON CONFLICT DO NOTHING} on the
 * open-job index (one queued or running job per artifact and scanner, so a second request joins
 * the first), and the artifacts that got a new job are marked {@code pending} in
 * {@code manifest_scans} in the same statement, so the browsing API never shows a job that is not
 * there or misses one that is. The last summary stays until the worker writes the new one.
 * Workers on every replica claim the rows; nothing here runs a scan, but a request that queued
 * something wakes this replica's workers, so that it does not wait for their next poll.
 */
@ApplicationScoped
public class ScanRequests {

    private static final String OPEN = "ON CONFLICT (manifest_id, scanner_id) WHERE status IN ('queued', 'running') DO NOTHING";
    private static final String PENDING = """
            ms AS (
                INSERT INTO manifest_scans (manifest_id, status, scanner_id)
                SELECT manifest_id, 'pending', scanner_id FROM ins
                ON CONFLICT (manifest_id) DO UPDATE SET status = 'pending', updated_at = now())""";
    private static final String ONE = """
            WITH ins AS (
                INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, priority, requested_by)
                VALUES (?, ?, 'manual', ?, ?)
                %s
                RETURNING id, manifest_id, scanner_id),
            %s
            SELECT id FROM ins""".formatted(OPEN, PENDING);
    // The open job joined instead; a queued one moves up to the manual priority.
    private static final String JOIN = """
            UPDATE scan_jobs SET priority = greatest(priority, ?)
            WHERE manifest_id = ? AND scanner_id = ? AND status IN ('queued', 'running')
            RETURNING id, status""";
    private static final String MANY = """
            WITH cand AS (
                SELECT m.id AS manifest_id, s.id AS scanner_id, s.id IS NOT NULL AND NOT s.disabled AS usable
                FROM repositories r
                JOIN manifests m ON m.repository_id = r.id
                LEFT JOIN project_scanners ps ON ps.project_id = r.project_id
                LEFT JOIN scanners s ON s.id = coalesce(ps.scanner_id, (SELECT id FROM scanners WHERE is_default))
                WHERE %s AND %s),
            ins AS (
                INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, priority, requested_by)
                SELECT manifest_id, scanner_id, ?, ?, ? FROM cand WHERE usable
                %s
                RETURNING manifest_id, scanner_id),
            %s
            SELECT (SELECT count(*) FROM cand), (SELECT count(*) FROM cand WHERE usable), (SELECT count(*) FROM ins)""";
    private static final String PROJECT = MANY.formatted("r.project_id = ?", Scannable.SQL, OPEN, PENDING);
    private static final String ALL = MANY.formatted("true", Scannable.SQL, OPEN, PENDING);

    private final DataSource db;
    private final ScanWorkers workers;

    public ScanRequests(DataSource db, ScanWorkers workers) {
        this.db = db;
        this.workers = workers;
    }

    /** A job of the queue: its id, and {@code queued} or {@code running}; {@code created} if this request added it. */
    public record Job(long id, String status, boolean created) {}

    /**
     * What a bulk request did.
     *
     * @param artifacts the scannable artifacts in its scope
     * @param queued those that got a new job
     * @param alreadyOpen those that had a queued or running job already
     * @param skipped those whose project's scanner is disabled, or that have no scanner (no default)
     */
    public record Bulk(long artifacts, long queued, long alreadyOpen, long skipped) {}

    /** Queues a manual scan of one manifest by one scanner, or joins the open job of the pair. */
    public Job enqueue(long manifestId, long scannerId, short priority, String requestedBy) {
        try (Connection c = db.getConnection()) {
            // A join can miss: the open job may end between the two statements; then a new one goes in.
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<Long> created = insert(c, manifestId, scannerId, priority, requestedBy);
                if (created.isPresent()) {
                    workers.wake();
                    return new Job(created.get(), "queued", true);
                }
                Optional<Job> joined = join(c, manifestId, scannerId, priority);
                if (joined.isPresent()) {
                    return joined.get();
                }
            }
            throw new IllegalStateException("manifest " + manifestId + ": no scan job could be added or joined");
        } catch (SQLException e) {
            throw ScanTargets.failure("queue a scan", e);
        }
    }

    /** Queues every scannable manifest of a project ({@code trigger} project). */
    public Bulk enqueueProject(long projectId, short priority, String requestedBy) {
        return bulk(PROJECT, projectId, "project", priority, requestedBy);
    }

    /** Queues every scannable manifest of every project ({@code trigger} all). */
    public Bulk enqueueAll(short priority, String requestedBy) {
        return bulk(ALL, null, "all", priority, requestedBy);
    }

    private Bulk bulk(String sql, Long projectId, String trigger, short priority, String requestedBy) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (projectId != null) {
                ps.setLong(i++, projectId);
            }
            ps.setString(i++, trigger);
            ps.setShort(i++, priority);
            ps.setString(i, requestedBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long artifacts = rs.getLong(1);
                long usable = rs.getLong(2);
                long queued = rs.getLong(3);
                if (queued > 0) {
                    workers.wake();
                }
                return new Bulk(artifacts, queued, usable - queued, artifacts - usable);
            }
        } catch (SQLException e) {
            throw ScanTargets.failure("queue scans", e);
        }
    }

    private static Optional<Long> insert(Connection c, long manifestId, long scannerId, short priority,
            String requestedBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ONE)) {
            ps.setLong(1, manifestId);
            ps.setLong(2, scannerId);
            ps.setShort(3, priority);
            ps.setString(4, requestedBy);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Job> join(Connection c, long manifestId, long scannerId, short priority) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JOIN)) {
            ps.setShort(1, priority);
            ps.setLong(2, manifestId);
            ps.setLong(3, scannerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Job(rs.getLong(1), rs.getString(2), false)) : Optional.empty();
            }
        }
    }
}
