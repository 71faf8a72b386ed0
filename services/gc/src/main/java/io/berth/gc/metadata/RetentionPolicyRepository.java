package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Projects' retention policies ({@code retention_policies}, V15__gc_retention.sql), one per
 * project, with their cron schedules, and the projects they belong to ({@code projects}, auth's,
 * read only). Each scheduled firing is claimed by one replica (compare-and-set on
 * {@code last_fired_at}).
 */
@ApplicationScoped
public class RetentionPolicyRepository {

    /** A project as retention needs it: its id, name and immutable tag rules (JSON). */
    public record Project(long id, String name, String immutableTagRules) {}

    /**
     * A project's stored policy.
     *
     * @param policy the rules, as RetentionPolicy's normalized JSON
     * @param cron null: no schedule
     * @param lastFiredAt when the schedule last fired, or when the policy was set
     */
    public record Policy(long projectId, String project, String policy, String cron, Instant lastFiredAt,
            Instant updatedAt, String updatedBy) {}

    private final DataSource db;

    public RetentionPolicyRepository(DataSource db) {
        this.db = db;
    }

    public Optional<Project> project(String name) {
        return Db.statements(db, "read a project", c -> {
            try (var ps = c.prepareStatement("SELECT id, name, immutable_tag_rules::text FROM projects WHERE name = ?")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Project(rs.getLong(1), rs.getString(2), rs.getString(3)))
                            : Optional.<Project>empty();
                }
            }
        });
    }

    public Optional<Project> project(long id) {
        return Db.statements(db, "read a project", c -> {
            try (var ps = c.prepareStatement("SELECT id, name, immutable_tag_rules::text FROM projects WHERE id = ?")) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Project(rs.getLong(1), rs.getString(2), rs.getString(3)))
                            : Optional.<Project>empty();
                }
            }
        });
    }

    private static final String POLICY = """
            SELECT rp.project_id, p.name, rp.policy::text, rp.cron, rp.last_fired_at, rp.updated_at, rp.updated_by
            FROM retention_policies rp JOIN projects p ON p.id = rp.project_id""";

    public Optional<Policy> policy(long projectId) {
        return Db.statements(db, "read a retention policy", c -> {
            try (var ps = c.prepareStatement(POLICY + " WHERE rp.project_id = ?")) {
                ps.setLong(1, projectId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(policy(rs)) : Optional.<Policy>empty();
                }
            }
        });
    }

    /** Every policy with a schedule, in project order. */
    public List<Policy> scheduled() {
        return Db.statements(db, "read the retention schedules", c -> {
            List<Policy> out = new ArrayList<>();
            try (var ps = c.prepareStatement(POLICY + " WHERE rp.cron IS NOT NULL ORDER BY rp.project_id");
                    var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(policy(rs));
                }
            }
            return out;
        });
    }

    /** Sets the project's policy; its schedule fires next at the first time after now that its cron names. */
    public Policy put(long projectId, String policyJson, String cron, String by) {
        Db.statements(db, "store a retention policy", c -> {
            try (var ps = c.prepareStatement("""
                    INSERT INTO retention_policies (project_id, policy, cron, last_fired_at, updated_at, updated_by)
                    VALUES (?, ?::jsonb, ?, now(), now(), ?)
                    ON CONFLICT (project_id) DO UPDATE SET policy = EXCLUDED.policy, cron = EXCLUDED.cron,
                        last_fired_at = now(), updated_at = now(), updated_by = EXCLUDED.updated_by""")) {
                ps.setLong(1, projectId);
                ps.setString(2, policyJson);
                ps.setString(3, cron);
                ps.setString(4, by);
                return ps.executeUpdate();
            }
        });
        return policy(projectId).orElseThrow();
    }

    /** Removes the project's policy (its history stays); false if it had none. */
    public boolean delete(long projectId) {
        return Db.statements(db, "delete a retention policy", c -> {
            try (var ps = c.prepareStatement("DELETE FROM retention_policies WHERE project_id = ?")) {
                ps.setLong(1, projectId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Claims the scheduled firing at {@code due}: true for exactly one replica, the one that moved
     * {@code last_fired_at} from {@code seen} to {@code due} (as {@link ScheduleRepository#claim}).
     */
    public boolean claim(long projectId, Instant seen, Instant due) {
        return Db.statements(db, "claim a scheduled retention execution", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE retention_policies SET last_fired_at = ?
                    WHERE project_id = ? AND last_fired_at IS NOT DISTINCT FROM ?""")) {
                ps.setTimestamp(1, Timestamp.from(due));
                ps.setLong(2, projectId);
                ps.setTimestamp(3, seen == null ? null : Timestamp.from(seen));
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Policy policy(ResultSet rs) throws SQLException {
        return new Policy(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                RunRepository.instant(rs.getTimestamp(5)), RunRepository.instant(rs.getTimestamp(6)), rs.getString(7));
    }
}
