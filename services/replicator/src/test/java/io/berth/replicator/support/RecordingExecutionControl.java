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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Stands in for the execution engine in the executions API's tests: it records each call and does
 * to the rows what the engine's contract says ({@link ExecutionControl}), without listing or
 * copying anything: start writes a pending execution, stop ends an execution that has not ended,
 * retry queues failed and stopped tasks again.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingExecutionControl implements ExecutionControl {

    /** One call: what was asked, of which policy or execution, by whom. */
    public record Call(String what, long id, String trigger, String by) {}

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();

    private final DataSource db;

    public RecordingExecutionControl(DataSource db) {
        this.db = db;
    }

    @Override
    public long start(Policy policy, Policy.TriggerType trigger, String by) {
        CALLS.add(new Call("start", policy.id(), trigger.wire(), by));
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
        CALLS.add(new Call("stop", executionId, null, null));
        return update("UPDATE replication_executions SET status = 'stopped', stop_requested = true, ended_at = now()"
                + " WHERE id = ? AND ended_at IS NULL", executionId) == 1;
    }

    @Override
    public int retry(long executionId) {
        CALLS.add(new Call("retry", executionId, null, null));
        return update("UPDATE replication_tasks SET status = 'pending', attempts = 0, error = NULL"
                + " WHERE execution_id = ? AND status IN ('failed', 'stopped')", executionId);
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
