package io.berth.replicator.support;

import io.berth.replicator.execution.ExecutionControl;
import io.berth.replicator.policy.Policy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Stands in for the execution engine in the executions API's tests while this branch has none
 * (the engine, {@code Executions} on repl-exec, needs repl-copy's Copier to start). It does to the
 * rows what {@link ExecutionControl} promises, without listing or copying, and the tests check
 * the rows: start writes a pending execution; stop ends an execution that has not ended and stops
 * its pending tasks; retry queues an ended execution's failed and stopped tasks again. The API's
 * tests pass against the real engine too: delete this class once the module has a Copier.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class StandInExecutionControl implements ExecutionControl {

    private final DataSource db;

    public StandInExecutionControl(DataSource db) {
        this.db = db;
    }

    @Override
    public long start(Policy policy, Policy.TriggerType trigger, String by) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO replication_executions (policy_id, trigger, status, started_by) VALUES (?, ?, 'pending', ?)"
                + " RETURNING id")) {
            s.setLong(1, policy.id());
            s.setString(2, trigger.wire());
            s.setString(3, by);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean stop(long executionId) {
        update("UPDATE replication_tasks SET status = 'stopped', ended_at = now() WHERE execution_id = ?"
                + " AND status = 'pending' AND EXISTS (SELECT 1 FROM replication_executions e WHERE e.id = execution_id"
                + " AND e.ended_at IS NULL)", executionId);
        return update("UPDATE replication_executions SET status = 'stopped', stop_requested = true, ended_at = now()"
                + " WHERE id = ? AND ended_at IS NULL", executionId) == 1;
    }

    @Override
    public int retry(long executionId) {
        int n = update("UPDATE replication_tasks SET status = 'pending', attempts = 0, error = NULL,"
                + " log = log || 'queued again: the execution was retried' || chr(10) WHERE execution_id = ?"
                + " AND status IN ('failed', 'stopped') AND EXISTS (SELECT 1 FROM replication_executions e"
                + " WHERE e.id = execution_id AND e.ended_at IS NOT NULL)", executionId);
        if (n > 0) {
            update("UPDATE replication_executions SET status = 'running', ended_at = NULL WHERE id = ?", executionId);
        }
        return n;
    }

    private int update(String sql, long id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
