package io.berth.scanner.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The statements of the scan queue ({@code scan_jobs}, V18). Jobs are rows: the queue is bounded
 * by what was pushed and survives restarts. Two open jobs for one artifact and scanner collapse
 * on the partial unique index {@code scan_jobs_one_open}; workers of every replica claim with
 * {@code FOR UPDATE SKIP LOCKED}, so each job runs once; every end of a job is written only
 * while its claimer still owns it ({@code owner} and {@code status = 'running'}), so a worker
 * that was taken over cannot overwrite the new owner's work.
 *
 * <p>Priorities: higher first. berth's own triggers use {@link #PUSH} and {@link #RESCAN}.
 */
final class ScanQueue {

    /** A scan on push. */
    static final int PUSH = 0;
    /** A rescan after the vulnerability database changed: the lowest. */
    static final int RESCAN = -10;

    private static final String ON_CONFLICT =
            " ON CONFLICT (manifest_id, scanner_id) WHERE status IN ('queued', 'running') DO NOTHING";

    private ScanQueue() {}

    /**
     * Queues a scan of the manifest by the scanner, unless one is open (queued or running).
     *
     * @return the new job's id; empty when an open job already covers it
     */
    static OptionalLong enqueue(Connection c, long manifestId, long scannerId, String trigger, int priority,
            String requestedBy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, priority, requested_by)
                VALUES (?, ?, ?, ?, ?)""" + ON_CONFLICT + " RETURNING id")) {
            s.setLong(1, manifestId);
            s.setLong(2, scannerId);
            s.setString(3, trigger);
            s.setInt(4, priority);
            s.setString(5, requestedBy);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Queues a rescan of every artifact the built-in scanner has a report of (lowest priority).
     *
     * @return how many jobs were queued (artifacts with an open job already are not)
     */
    static int enqueueRescans(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, priority)
                SELECT r.manifest_id, r.scanner_id, 'rescan', ? FROM scan_reports r
                JOIN scanners s ON s.id = r.scanner_id AND s.kind = 'builtin' AND NOT s.disabled
                ORDER BY r.manifest_id""" + ON_CONFLICT)) {
            s.setInt(1, RESCAN);
            return s.executeUpdate();
        }
    }

    /**
     * Puts running jobs whose owner stopped heart-beating for {@code after} back in the queue, due
     * now; the next claim takes them over (and counts the attempt).
     *
     * @return how many were taken back
     */
    static int reap(Connection c, Duration after) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs j SET status = 'queued', owner = NULL, next_attempt_at = now(),
                    error = 'its worker ' || coalesce(j.owner, '?') || ' stopped heart-beating'
                FROM (SELECT id FROM scan_jobs WHERE status = 'running' AND heartbeat_at < now() - ?::interval
                      ORDER BY id FOR UPDATE SKIP LOCKED) stale
                WHERE j.id = stale.id""")) {
            s.setString(1, after.toMillis() + " milliseconds");
            return s.executeUpdate();
        }
    }

    /** Claims up to {@code limit} due jobs for {@code owner}: highest priority, then longest due. */
    static List<ScanJob> claim(Connection c, String owner, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs j SET status = 'running', owner = ?, heartbeat_at = now(), started_at = now(),
                    attempts = j.attempts + 1
                FROM (SELECT id FROM scan_jobs WHERE status = 'queued' AND next_attempt_at <= now()
                      ORDER BY priority DESC, next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) due
                WHERE j.id = due.id
                RETURNING j.id, j.manifest_id, j.scanner_id, j.trigger, j.priority, j.attempts, j.created_at""")) {
            s.setString(1, owner);
            s.setInt(2, limit);
            List<ScanJob> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScanJob(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5),
                            rs.getInt(6), rs.getTimestamp(7).toInstant(), owner));
                }
            }
            out.sort((a, b) -> Long.compare(a.id(), b.id()));
            return out;
        }
    }

    /** Says {@code owner}'s running jobs {@code ids} are alive; returns how many it still owns. */
    static int heartbeat(Connection c, String owner, List<Long> ids) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE scan_jobs SET heartbeat_at = now() WHERE id = ANY (?) AND owner = ? AND status = 'running'")) {
            s.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            s.setString(2, owner);
            return s.executeUpdate();
        }
    }

    /** Ends the job as succeeded, if {@code job}'s owner still holds it. */
    static boolean succeed(Connection c, ScanJob job) throws SQLException {
        return end(c, job, "succeeded", null);
    }

    /** Ends the job as failed for good, if {@code job}'s owner still holds it. */
    static boolean fail(Connection c, ScanJob job, String error) throws SQLException {
        return end(c, job, "failed", error);
    }

    private static boolean end(Connection c, ScanJob job, String status, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs SET status = ?, finished_at = now(), heartbeat_at = now(), error = ?
                WHERE id = ? AND owner = ? AND status = 'running'""")) {
            s.setString(1, status);
            s.setString(2, error);
            s.setLong(3, job.id());
            s.setString(4, job.owner());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Puts the job back in the queue, due after {@code delay}; {@code countAttempt} false gives
     * back the attempt its claim counted (an index waiting for its children has not failed).
     */
    static boolean requeue(Connection c, ScanJob job, Duration delay, String error, boolean countAttempt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs SET status = 'queued', owner = NULL, heartbeat_at = NULL,
                    next_attempt_at = now() + ?::interval, error = ?, attempts = attempts - ?
                WHERE id = ? AND owner = ? AND status = 'running'""")) {
            s.setString(1, delay.toMillis() + " milliseconds");
            s.setString(2, error);
            s.setInt(3, countAttempt ? 0 : 1);
            s.setLong(4, job.id());
            s.setString(5, job.owner());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Makes the queued jobs of the indexes in the repository that list {@code childDigest} due
     * now: a child's end wakes the index waiting for it.
     */
    static void wakeParents(Connection c, long repositoryId, String childDigest, long scannerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs j SET next_attempt_at = now()
                FROM manifests p JOIN manifest_references r ON r.manifest_id = p.id AND r.kind = 'manifest'
                WHERE j.manifest_id = p.id AND p.repository_id = ? AND r.digest = ? AND j.scanner_id = ?
                  AND j.status = 'queued' AND j.next_attempt_at > now()""")) {
            s.setLong(1, repositoryId);
            s.setString(2, childDigest);
            s.setLong(3, scannerId);
            s.executeUpdate();
        }
    }

    /** Jobs waiting in the queue (due or not). */
    static long depth(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM scan_jobs WHERE status = 'queued'");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
