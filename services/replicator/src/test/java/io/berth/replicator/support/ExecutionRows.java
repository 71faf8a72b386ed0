package io.berth.replicator.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** Writes replication rows (an endpoint, policies, executions, tasks) by SQL, for the executions API's tests. */
public final class ExecutionRows {

    private final DataSource db;
    private final long endpoint;

    public ExecutionRows(DataSource db) {
        this.db = db;
        this.endpoint = id("INSERT INTO replication_endpoints (name, type, url, created_by, updated_by)"
                + " VALUES (?, 'distribution', 'http://127.0.0.1:1', 'test', 'test') RETURNING id", unique("ep"));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A manual push policy of a unique name. */
    public long policy(boolean enabled) {
        return id("INSERT INTO replication_policies (name, enabled, direction, endpoint_id, trigger_type, created_by,"
                + " updated_by) VALUES (?, ?, 'push', ?, 'manual', 'test', 'test') RETURNING id",
                unique("policy"), enabled, endpoint);
    }

    public String policyName(long policy) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT name FROM replication_policies WHERE id = ?")) {
            s.setLong(1, policy);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An execution; an ended status gets an end time. */
    public long execution(long policy, String trigger, String status) {
        return id("INSERT INTO replication_executions (policy_id, trigger, status, status_text, started_by, ended_at)"
                + " VALUES (?, ?, ?, ?, 'admin', CASE WHEN ? IN ('pending', 'running') THEN NULL ELSE now() END)"
                + " RETURNING id", policy, trigger, status, "status " + status, status);
    }

    /**
     * A copy task of {@code project/app:reference} with its bytes, error and log. A pending task is
     * due only tomorrow and a running one leased till then, so the engine's workers leave them be.
     */
    public long task(long execution, String project, String reference, String status, long bytes, String error,
            String log) {
        return id("INSERT INTO replication_tasks (execution_id, operation, local_project, src_repository,"
                + " src_reference, dst_repository, dst_reference, digest, artifact_type, status, attempts, error,"
                + " bytes, log, started_at, next_attempt_at, lease_owner, lease_until) VALUES (?, 'copy', ?, ?, ?, ?, ?, ?,"
                + " 'image', ?, 1, ?, ?, ?, now(), now() + interval '1 day', CASE WHEN ? = 'running' THEN 'test' END,"
                + " CASE WHEN ? = 'running' THEN now() + interval '1 day' END) RETURNING id", execution, project,
                project + "/app", reference, "mirror/" + project + "/app", reference, "sha256:" + "a".repeat(64), status,
                error, bytes, log, status, status);
    }

    public String value(String sql, long id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long id(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
