package io.berth.replicator.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The statements of the replication queue (V24): executions and their tasks, which are the queue.
 * Workers of every replica claim due tasks with {@code FOR UPDATE SKIP LOCKED} under a lease
 * ({@code lease_owner}, {@code lease_until}); a running task whose lease ran out (its replica
 * died) is due again. Every end of a task is written only while its claimer still holds it
 * ({@code lease_owner} and {@code status = 'running'}). Ending a task locks its execution's row
 * first, so of two replicas ending an execution's last two tasks the second sees the first's end
 * and ends the execution: never both, never neither.
 */
final class TaskQueue {

    /** A task's log keeps its last 64 KiB. */
    static final int LOG_LIMIT = 64 * 1024;

    private static final String TASK_COLUMNS = "t.id, t.execution_id, e.policy_id, t.operation, t.src_repository,"
            + " t.src_reference, t.dst_repository, t.dst_reference, t.attempts, t.source_time";

    private TaskQueue() {}

    /** A task to insert. */
    record NewTask(String operation, String localProject, String srcRepository, String srcReference,
            String dstRepository, String dstReference, String digest, String artifactType, Instant sourceTime) {}

    /**
     * Inserts an execution; with an {@code eventId} that the policy already has one for, nothing.
     *
     * @return the new execution's id, empty if the event had one already
     */
    static OptionalLong insertExecution(Connection c, long policyId, String trigger, String eventId, String status,
            String startedBy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO replication_executions (policy_id, trigger, event_id, status, started_by)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy_id, event_id) DO NOTHING RETURNING id""")) {
            s.setLong(1, policyId);
            s.setString(2, trigger);
            s.setString(3, eventId);
            s.setString(4, status);
            s.setString(5, startedBy);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    static void insertTasks(Connection c, long executionId, List<NewTask> tasks) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO replication_tasks (execution_id, operation, local_project, src_repository, src_reference,
                    dst_repository, dst_reference, digest, artifact_type, source_time, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')""")) {
            for (NewTask t : tasks) {
                s.setLong(1, executionId);
                s.setString(2, t.operation());
                s.setString(3, t.localProject());
                s.setString(4, t.srcRepository());
                s.setString(5, t.srcReference());
                s.setString(6, t.dstRepository());
                s.setString(7, t.dstReference());
                s.setString(8, t.digest());
                s.setString(9, t.artifactType());
                s.setTimestamp(10, t.sourceTime() == null ? null : Timestamp.from(t.sourceTime()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Locks the execution's row for this transaction; returns its status, or null if it is gone. */
    static String lockExecution(Connection c, long executionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT status FROM replication_executions WHERE id = ? FOR UPDATE")) {
            s.setLong(1, executionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Sets a locked execution's status (and its end, for an ended status). */
    static void setExecution(Connection c, long executionId, String status, String statusText) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_executions SET status = ?, status_text = ?,
                    ended_at = CASE WHEN ? IN ('succeeded', 'failed', 'stopped') THEN now() END
                WHERE id = ?""")) {
            s.setString(1, status);
            s.setString(2, statusText);
            s.setString(3, status);
            s.setLong(4, executionId);
            s.executeUpdate();
        }
    }

    /**
     * Ends a running execution (locked by the caller) whose tasks all ended: stopped if a stop was
     * asked, else failed if a task failed, else stopped if one was stopped, else succeeded.
     *
     * @return the status it ended with, or null if it goes on
     */
    static String endIfDone(Connection c, long executionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_executions e SET ended_at = now(), status = CASE
                    WHEN e.stop_requested THEN 'stopped'
                    WHEN EXISTS (SELECT 1 FROM replication_tasks f WHERE f.execution_id = e.id AND f.status = 'failed')
                        THEN 'failed'
                    WHEN EXISTS (SELECT 1 FROM replication_tasks f WHERE f.execution_id = e.id AND f.status = 'stopped')
                        THEN 'stopped'
                    ELSE 'succeeded' END,
                  status_text = CASE WHEN e.stop_requested THEN 'stopped on request' ELSE (
                    SELECT count(*) FILTER (WHERE status = 'succeeded') || ' of ' || count(*) || ' tasks succeeded'
                    FROM replication_tasks f WHERE f.execution_id = e.id) END
                WHERE e.id = ? AND e.status = 'running' AND NOT EXISTS (SELECT 1 FROM replication_tasks o
                    WHERE o.execution_id = e.id AND o.status IN ('pending', 'running'))
                RETURNING e.status""")) {
            s.setLong(1, executionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Claims up to {@code limit} due tasks for {@code owner} (pending and due, or running with a
     * lease that ran out), counting the attempt.
     */
    static List<Task> claim(Connection c, String owner, int limit, Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_tasks t SET status = 'running', lease_owner = ?,
                    lease_until = now() + ?::interval, attempts = t.attempts + 1,
                    started_at = coalesce(t.started_at, now())
                FROM (SELECT id FROM replication_tasks
                      WHERE (status = 'pending' AND next_attempt_at <= now())
                         OR (status = 'running' AND lease_until < now())
                      ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) due,
                     replication_executions e
                WHERE t.id = due.id AND e.id = t.execution_id
                RETURNING\s""" + TASK_COLUMNS)) {
            s.setString(1, owner);
            s.setString(2, lease.toMillis() + " milliseconds");
            s.setInt(3, limit);
            List<Task> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp source = rs.getTimestamp(10);
                    out.add(new Task(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                            source == null ? null : source.toInstant(), owner));
                }
            }
            out.sort((a, b) -> Long.compare(a.id(), b.id()));
            return out;
        }
    }

    /** Extends {@code owner}'s leases of the running tasks {@code ids}; returns how many it still holds. */
    static int renew(Connection c, String owner, List<Long> ids, Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_tasks SET lease_until = now() + ?::interval
                WHERE id = ANY (?) AND lease_owner = ? AND status = 'running'""")) {
            s.setString(1, lease.toMillis() + " milliseconds");
            s.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            s.setString(3, owner);
            return s.executeUpdate();
        }
    }

    /**
     * Ends the attempt of a task its owner still holds: {@code status} succeeded, failed or
     * stopped, or pending again after {@code retryAfter} (non-null). Appends {@code log} to the
     * task's log (its last {@link #LOG_LIMIT} characters kept).
     *
     * @return false if the task was taken over meanwhile (nothing written)
     */
    static boolean endAttempt(Connection c, Task task, String status, Duration retryAfter, String error, long bytes,
            String log) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_tasks SET status = ?, error = ?, bytes = bytes + ?, log = right(log || ?, ?),
                    lease_owner = NULL, lease_until = NULL,
                    next_attempt_at = CASE WHEN ? THEN now() + ?::interval ELSE next_attempt_at END,
                    ended_at = CASE WHEN ? THEN NULL ELSE now() END
                WHERE id = ? AND lease_owner = ? AND status = 'running'""")) {
            boolean retry = retryAfter != null;
            s.setString(1, retry ? "pending" : status);
            s.setString(2, error);
            s.setLong(3, bytes);
            s.setString(4, log);
            s.setInt(5, LOG_LIMIT);
            s.setBoolean(6, retry);
            s.setString(7, (retry ? retryAfter.toMillis() : 0) + " milliseconds");
            s.setBoolean(8, retry);
            s.setLong(9, task.id());
            s.setString(10, task.owner());
            return s.executeUpdate() == 1;
        }
    }

    /** Asks a locked execution to stop: its pending tasks are stopped now. */
    static void requestStop(Connection c, long executionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE replication_executions SET stop_requested = true WHERE id = ?");
                PreparedStatement t = c.prepareStatement("""
                        UPDATE replication_tasks SET status = 'stopped', ended_at = now(),
                            log = right(log || ?, ?)
                        WHERE execution_id = ? AND status = 'pending'""")) {
            s.setLong(1, executionId);
            s.executeUpdate();
            t.setString(1, Instant.now() + " stopped before it ran: the execution was asked to stop\n");
            t.setInt(2, LOG_LIMIT);
            t.setLong(3, executionId);
            t.executeUpdate();
        }
    }

    /**
     * Queues a locked, ended execution's failed and stopped tasks again with their attempts reset,
     * and runs the execution again.
     *
     * @return how many tasks were queued
     */
    static int requeueEnded(Connection c, long executionId) throws SQLException {
        int n;
        try (PreparedStatement t = c.prepareStatement("""
                UPDATE replication_tasks SET status = 'pending', attempts = 0, next_attempt_at = now(),
                    lease_owner = NULL, lease_until = NULL, ended_at = NULL, log = right(log || ?, ?)
                WHERE execution_id = ? AND status IN ('failed', 'stopped')""")) {
            t.setString(1, Instant.now() + " queued again: the execution was retried\n");
            t.setInt(2, LOG_LIMIT);
            t.setLong(3, executionId);
            n = t.executeUpdate();
        }
        if (n > 0) {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE replication_executions SET status = 'running', stop_requested = false, status_text = NULL,
                        ended_at = NULL WHERE id = ?""")) {
                s.setLong(1, executionId);
                s.executeUpdate();
            }
        }
        return n;
    }

    /** Whether a stop was asked for the execution (true too if it is gone). */
    static boolean stopRequested(Connection c, long executionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT stop_requested FROM replication_executions WHERE id = ?")) {
            s.setLong(1, executionId);
            try (ResultSet rs = s.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }

    /** Gives {@code owner}'s running tasks back to the queue, due now, without counting the attempt. */
    static int release(Connection c, String owner) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE replication_tasks SET status = 'pending', lease_owner = NULL, lease_until = NULL,
                    next_attempt_at = now(), attempts = greatest(attempts - 1, 0)
                WHERE lease_owner = ? AND status = 'running'""")) {
            s.setString(1, owner);
            return s.executeUpdate();
        }
    }
}
