package io.berth.gc.metadata;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jakarta.enterprise.context.ApplicationScoped;
import javax.sql.DataSource;

/**
 * Retention executions ({@code retention_executions}) and what each decided
 * ({@code retention_execution_items}); V15__gc_retention.sql. The policies are
 * {@link RetentionPolicyRepository}'s. One running
 * execution per project is the database's rule (a partial unique index), so it holds across
 * replicas; one whose replica stopped sending heartbeats is failed by the next start.
 */
@ApplicationScoped
public class RetentionRepository {

    private static final String COLUMNS = """
            id, project_id, trigger, dry_run, status, started_at, ended_at, retained, deleted, untouched, error,
            requested_by""";

    private final DataSource db;

    public RetentionRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Starts an execution unless one of the project runs: first fails a running one whose
     * heartbeat is older than {@code staleAfter} (its replica died), then inserts.
     *
     * @return the new execution, or empty if one of the project is running
     */
    public Optional<RetentionExecution> start(long projectId, String trigger, boolean dryRun, String by,
            Duration staleAfter) {
        return Db.transaction(db, "start a retention execution", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE retention_executions SET status = 'failed', ended_at = now(),
                        error = 'the replica running it stopped answering'
                    WHERE project_id = ? AND status = 'running' AND heartbeat_at < now() - make_interval(secs => ?)""")) {
                ps.setLong(1, projectId);
                ps.setDouble(2, staleAfter.toMillis() / 1000.0);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    INSERT INTO retention_executions (project_id, trigger, dry_run, status, requested_by)
                    VALUES (?, ?, ?, 'running', ?) ON CONFLICT DO NOTHING RETURNING\s""" + COLUMNS)) {
                ps.setLong(1, projectId);
                ps.setString(2, trigger);
                ps.setBoolean(3, dryRun);
                ps.setString(4, by);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(execution(rs)) : Optional.<RetentionExecution>empty();
                }
            }
        });
    }

    /** The running execution of the project, if any. */
    public Optional<RetentionExecution> running(long projectId) {
        return one("SELECT " + COLUMNS + " FROM retention_executions WHERE project_id = ? AND status = 'running'",
                projectId);
    }

    public Optional<RetentionExecution> find(long id) {
        return one("SELECT " + COLUMNS + " FROM retention_executions WHERE id = ?", id);
    }

    /**
     * Says the running execution is alive, with its counts so far; false if it is no longer
     * running (another replica failed it after missed heartbeats).
     */
    public boolean heartbeat(long id, int retained, int deleted) {
        return Db.statements(db, "record a retention heartbeat", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE retention_executions SET heartbeat_at = now(), retained = ?, deleted = ?
                    WHERE id = ? AND status = 'running'""")) {
                ps.setInt(1, retained);
                ps.setInt(2, deleted);
                ps.setLong(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ends a running execution. */
    public void finish(long id, String status, int retained, int deleted, List<String> untouched, String error) {
        Db.statements(db, "finish a retention execution", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE retention_executions SET status = ?, ended_at = now(), retained = ?, deleted = ?,
                        untouched = ?, error = ? WHERE id = ? AND status = 'running'""")) {
                ps.setString(1, status);
                ps.setInt(2, retained);
                ps.setInt(3, deleted);
                ps.setArray(4, c.createArrayOf("text", untouched.toArray()));
                ps.setString(5, error);
                ps.setLong(6, id);
                return ps.executeUpdate();
            }
        });
    }

    /** The project's executions, newest first; {@code page} counts from 1. */
    public RetentionExecution.Page page(long projectId, int page, int size) {
        return Db.statements(db, "read the retention history", c -> {
            List<RetentionExecution> out = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM retention_executions WHERE project_id = ? ORDER BY id DESC LIMIT ? OFFSET ?")) {
                ps.setLong(1, projectId);
                ps.setInt(2, size);
                ps.setLong(3, (long) (page - 1) * size);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(execution(rs));
                    }
                }
            }
            long total;
            try (var ps = c.prepareStatement("SELECT count(*) FROM retention_executions WHERE project_id = ?")) {
                ps.setLong(1, projectId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            return new RetentionExecution.Page(out, total);
        });
    }

    /** Records the plan's decisions, in plan order after those already recorded ({@code from}). */
    public void items(long executionId, int from, List<RetentionExecution.Item> items) {
        if (items.isEmpty()) {
            return;
        }
        Db.transaction(db, "record a retention plan", c -> {
            try (var ps = c.prepareStatement("""
                    INSERT INTO retention_execution_items (execution_id, repository, digest, tags, retained, reason, seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                int seq = from;
                for (RetentionExecution.Item i : items) {
                    ps.setLong(1, executionId);
                    ps.setString(2, i.repository());
                    ps.setString(3, i.digest());
                    ps.setArray(4, c.createArrayOf("text", i.tags().toArray()));
                    ps.setBoolean(5, i.retained());
                    ps.setString(6, i.reason());
                    ps.setInt(7, seq++);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Changes the decision of one item: a deletion skipped at the last moment is retained, with why. */
    public void amend(long executionId, String repository, String digest, boolean retained, String reason) {
        Db.statements(db, "amend a retention decision", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE retention_execution_items SET retained = ?, reason = ?
                    WHERE execution_id = ? AND repository = ? AND digest = ?""")) {
                ps.setBoolean(1, retained);
                ps.setString(2, reason);
                ps.setLong(3, executionId);
                ps.setString(4, repository);
                ps.setString(5, digest);
                return ps.executeUpdate();
            }
        });
    }

    /** The execution's decisions in plan order, of one repository if {@code repository} is not null. */
    public List<RetentionExecution.Item> items(long executionId, String repository) {
        return Db.statements(db, "read a retention plan", c -> {
            List<RetentionExecution.Item> out = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT repository, digest, tags, retained, reason FROM retention_execution_items
                    WHERE execution_id = ? AND (?::text IS NULL OR repository = ?) ORDER BY seq""")) {
                ps.setLong(1, executionId);
                ps.setString(2, repository);
                ps.setString(3, repository);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RetentionExecution.Item(rs.getString(1), rs.getString(2), texts(rs.getArray(3)),
                                rs.getBoolean(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    private Optional<RetentionExecution> one(String sql, long arg) {
        return Db.statements(db, "read a retention execution", c -> {
            try (var ps = c.prepareStatement(sql)) {
                ps.setLong(1, arg);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(execution(rs)) : Optional.<RetentionExecution>empty();
                }
            }
        });
    }

    private static RetentionExecution execution(ResultSet rs) throws SQLException {
        return new RetentionExecution(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
                rs.getString(5), RunRepository.instant(rs.getTimestamp(6)), RunRepository.instant(rs.getTimestamp(7)),
                rs.getInt(8), rs.getInt(9), texts(rs.getArray(10)), rs.getString(11), rs.getString(12));
    }

    static List<String> texts(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.asList((String[]) array.getArray());
    }
}
