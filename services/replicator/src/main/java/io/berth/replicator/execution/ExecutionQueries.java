package io.berth.replicator.execution;

import io.berth.errors.ServiceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The read side of executions and their tasks (V24's {@code replication_executions} and
 * {@code replication_tasks}), for the executions API; the engine writes them. Every read takes a
 * {@code project}: null sees everything, a project sees only the executions with a task whose
 * {@code local_project} it is, and of those only that project's tasks (counts and bytes included),
 * which is what a project administrator may see. A database that fails is
 * {@link ServiceUnavailableException} (503).
 */
@ApplicationScoped
public class ExecutionQueries {

    /** What the execution list is narrowed to; a null field does not narrow it. */
    public record Filter(Long policyId, String status, String trigger, String project) {}

    /** One page of a listing, and how many entries all pages hold. */
    public record Page<T>(long total, List<T> items) {}

    /** Task counts by status; {@code inProgress} is pending and running together. */
    public record Counts(long total, long succeeded, long failed, long stopped, long inProgress, long bytes) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    public record Execution(long id, long policyId, String policyName, String trigger, String status,
            String statusText, Counts counts, Instant startedAt, Instant endedAt, String startedBy) {}

    public record Task(long id, long executionId, String operation, String artifactType, String srcRepository,
            String srcReference, String dstRepository, String dstReference, String digest, String status,
            int attempts, String error, long bytes, Instant startedAt, Instant endedAt) {}

    private static final String EXECUTION = "SELECT e.id, e.policy_id, p.name, e.trigger, e.status, e.status_text,"
            + " e.started_at, e.ended_at, e.started_by FROM replication_executions e"
            + " JOIN replication_policies p ON p.id = e.policy_id";
    /** A project sees an execution only if one of its tasks is the project's. */
    private static final String TOUCHES = " EXISTS (SELECT 1 FROM replication_tasks t WHERE t.execution_id = e.id"
            + " AND t.local_project = ?)";
    private static final String TASK = "SELECT id, execution_id, operation, artifact_type, src_repository,"
            + " src_reference, dst_repository, dst_reference, digest, status, attempts, error, bytes, started_at,"
            + " ended_at FROM replication_tasks";

    private final DataSource db;

    public ExecutionQueries(DataSource db) {
        this.db = db;
    }

    /** The executions {@code filter} selects, newest first, with their task counts. */
    public Page<Execution> list(Filter filter, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (filter.policyId() != null) {
            where.append(" AND e.policy_id = ?");
            args.add(filter.policyId());
        }
        if (filter.status() != null) {
            where.append(" AND e.status = ?");
            args.add(filter.status());
        }
        if (filter.trigger() != null) {
            where.append(" AND e.trigger = ?");
            args.add(filter.trigger());
        }
        if (filter.project() != null) {
            where.append(" AND").append(TOUCHES);
            args.add(filter.project());
        }
        try (Connection c = db.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM replication_executions e" + where)) {
                bind(s, args);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Object> paged = new ArrayList<>(args);
            paged.add(pageSize);
            paged.add((long) (page - 1) * pageSize);
            List<Execution> rows = executions(c, EXECUTION + where + " ORDER BY e.id DESC LIMIT ? OFFSET ?", paged,
                    filter.project());
            return new Page<>(total, rows);
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The execution, if it exists and {@code project} (if not null) has a task in it. */
    public Optional<Execution> find(long id, String project) {
        List<Object> args = new ArrayList<>(List.of(id));
        String sql = EXECUTION + " WHERE e.id = ?";
        if (project != null) {
            sql += " AND" + TOUCHES;
            args.add(project);
        }
        try (Connection c = db.getConnection()) {
            return executions(c, sql, args, project).stream().findFirst();
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The execution's tasks ({@code project}'s only, if not null) in order, optionally of one status. */
    public Page<Task> tasks(long executionId, String project, String status, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" WHERE execution_id = ?");
        List<Object> args = new ArrayList<>(List.of(executionId));
        if (project != null) {
            where.append(" AND local_project = ?");
            args.add(project);
        }
        if (status != null) {
            where.append(" AND status = ?");
            args.add(status);
        }
        try (Connection c = db.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM replication_tasks" + where)) {
                bind(s, args);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            args.add(pageSize);
            args.add((long) (page - 1) * pageSize);
            List<Task> tasks = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(TASK + where + " ORDER BY id LIMIT ? OFFSET ?")) {
                bind(s, args);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(task(rs));
                    }
                }
            }
            return new Page<>(total, tasks);
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** A task's log, if the task is the execution's (and {@code project}'s, if not null). */
    public Optional<String> log(long executionId, long taskId, String project) {
        String sql = "SELECT log FROM replication_tasks WHERE execution_id = ? AND id = ?"
                + (project == null ? "" : " AND local_project = ?");
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, project == null ? List.of(executionId, taskId) : List.of(executionId, taskId, project));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The executions {@code sql} selects, with their counts from one GROUP BY over their tasks. */
    private static List<Execution> executions(Connection c, String sql, List<Object> args, String project)
            throws SQLException {
        List<Execution> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Execution(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), Counts.NONE, instant(rs, 7), instant(rs, 8),
                            rs.getString(9)));
                }
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, Counts> counts = counts(c, rows.stream().map(Execution::id).toArray(Long[]::new), project);
        return rows.stream().map(e -> new Execution(e.id(), e.policyId(), e.policyName(), e.trigger(), e.status(),
                e.statusText(), counts.getOrDefault(e.id(), Counts.NONE), e.startedAt(), e.endedAt(), e.startedBy()))
                .toList();
    }

    private static Map<Long, Counts> counts(Connection c, Long[] ids, String project) throws SQLException {
        String sql = "SELECT execution_id, count(*), count(*) FILTER (WHERE status = 'succeeded'),"
                + " count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'stopped'),"
                + " count(*) FILTER (WHERE status IN ('pending', 'running')), coalesce(sum(bytes), 0)"
                + " FROM replication_tasks WHERE execution_id = ANY (?)"
                + (project == null ? "" : " AND local_project = ?") + " GROUP BY execution_id";
        Map<Long, Counts> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("bigint", ids);
            s.setArray(1, array);
            if (project != null) {
                s.setString(2, project);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    private static Task task(ResultSet rs) throws SQLException {
        return new Task(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getInt(11),
                rs.getString(12), rs.getLong(13), instant(rs, 14), instant(rs, 15));
    }

    private static void bind(PreparedStatement s, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static ServiceUnavailableException down(SQLException e) {
        return new ServiceUnavailableException("the replication executions cannot be read now", e);
    }
}
