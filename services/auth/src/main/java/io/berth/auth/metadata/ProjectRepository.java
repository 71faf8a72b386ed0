package io.berth.auth.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.security.ProjectRole;
import io.berth.security.policy.ImmutableTagRule;
import io.berth.security.policy.VulnerabilityPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code projects}, owned by auth; registry-api reads it. */
@ApplicationScoped
public class ProjectRepository {

    /**
     * One project as its API shows it.
     *
     * @param quotaBytes the storage quota, or null for none
     * @param usedBytes what the project stores, as registry-api counts it ({@code project_usage},
     *     docs/adr/0021); 0 for a project that never held anything
     */
    public record Project(long id, String name, boolean isPublic, Long quotaBytes,
            List<ImmutableTagRule> immutableTagRules, VulnerabilityPolicy vulnerabilityPolicy, Instant createdAt,
            long usedBytes) {}

    /**
     * Settings to give a project; null leaves one as it is (or at its default, for a new project).
     *
     * @param quotaBytes the storage quota in bytes, or -1 for none
     */
    public record Settings(Boolean isPublic, Long quotaBytes, List<ImmutableTagRule> immutableTagRules,
            VulnerabilityPolicy vulnerabilityPolicy) {

        public boolean isEmpty() {
            return isPublic == null && quotaBytes == null && immutableTagRules == null && vulnerabilityPolicy == null;
        }
    }

    // usedBytes is registry-api's project_usage, read here so the project's page shows it.
    private static final String COLUMNS = "id, name, public, quota_bytes, immutable_tag_rules, vulnerability_policy, created_at,"
            + " coalesce((SELECT u.stored_bytes FROM project_usage u WHERE u.project_id = projects.id), 0)";
    private static final TypeReference<List<ImmutableTagRule>> RULES = new TypeReference<>() {};

    private final DataSource db;
    private final ObjectMapper json;

    public ProjectRepository(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Whether project {@code name} allows anonymous pulls; empty if there is no such project. */
    public Optional<Boolean> isPublic(String name) {
        // One column, no usage and no JSON: every token request asks this for every scope.
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT public FROM projects WHERE name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read project " + name + ": " + e.getMessage(), e);
        }
    }

    public Optional<Project> find(String name) {
        List<Project> found = query("SELECT " + COLUMNS + " FROM projects WHERE name = ?", List.of(name));
        return found.stream().findFirst();
    }

    /**
     * Every project if {@code all}; else the public ones and those {@code username} or one of
     * {@code groups} is a member of. By name.
     */
    public List<Project> list(boolean all, String username, Collection<String> groups) {
        if (all) {
            return query("SELECT " + COLUMNS + " FROM projects ORDER BY name", List.of());
        }
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT %s FROM projects WHERE public OR EXISTS (
                            SELECT 1 FROM project_members m WHERE m.project_id = projects.id
                            AND ((m.member_kind = 'user' AND m.member_name = ?)
                                OR (m.member_kind = 'group' AND m.member_name = ANY (?))))
                        ORDER BY name""".formatted(COLUMNS))) {
            ps.setString(1, username);
            ps.setArray(2, c.createArrayOf("text", groups.toArray()));
            return read(ps);
        } catch (SQLException e) {
            throw failure("list projects", e);
        }
    }

    /**
     * Creates a project with its first member, {@code admin} as projectAdmin, then applies
     * {@code settings}. All of it or nothing: the caller runs this in a transaction
     * ({@code @Transactional}).
     *
     * @return false if the name is taken (nothing is written then)
     */
    public boolean create(String name, Settings settings, String admin) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement(
                        "INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
            ps.setString(1, name);
            long id;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getLong(1);
            }
            try (var member = c.prepareStatement("""
                    INSERT INTO project_members (project_id, member_kind, member_name, role)
                    VALUES (?, 'user', ?, ?)""")) {
                member.setLong(1, id);
                member.setString(2, admin);
                member.setString(3, ProjectRole.PROJECT_ADMIN.wireName());
                member.executeUpdate();
            }
            update(name, settings);
            return true;
        } catch (SQLException e) {
            throw failure("create project " + name, e);
        }
    }

    /** Applies the settings that are not null; false if there is no such project. */
    public boolean update(String name, Settings settings) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                UPDATE projects SET public = coalesce(?, public),
                    quota_bytes = CASE WHEN ? IS NULL THEN quota_bytes WHEN ? < 0 THEN NULL ELSE ? END,
                    immutable_tag_rules = coalesce(?::jsonb, immutable_tag_rules),
                    vulnerability_policy = coalesce(?::jsonb, vulnerability_policy),
                    updated_at = now()
                WHERE name = ?""")) {
            ps.setObject(1, settings.isPublic(), Types.BOOLEAN);
            for (int i = 2; i <= 4; i++) {
                ps.setObject(i, settings.quotaBytes(), Types.BIGINT);
            }
            ps.setString(5, settings.immutableTagRules() == null ? null : json.writeValueAsString(settings.immutableTagRules()));
            ps.setString(6, settings.vulnerabilityPolicy() == null ? null
                    : json.writeValueAsString(settings.vulnerabilityPolicy()));
            ps.setString(7, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not update project " + name + ": " + e.getMessage(), e);
        }
    }

    /** How many repositories the project holds (registry-api's table). */
    public long repositoryCount(long projectId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT count(*) FROM repositories WHERE project_id = ?")) {
            ps.setLong(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count the repositories of project " + projectId, e);
        }
    }

    /** Deletes the project with its members and robots; false if there is no such project. */
    public boolean delete(String name) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM projects WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete project " + name, e);
        }
    }

    private List<Project> query(String sql, List<String> args) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            return read(ps);
        } catch (SQLException e) {
            throw failure("read projects", e);
        }
    }

    private List<Project> read(java.sql.PreparedStatement ps) throws SQLException {
        List<Project> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long quota = rs.getLong(4);
                Long quotaBytes = rs.wasNull() ? null : quota;
                try {
                    out.add(new Project(rs.getLong(1), rs.getString(2), rs.getBoolean(3), quotaBytes,
                            json.readValue(rs.getString(5), RULES), json.readValue(rs.getString(6), VulnerabilityPolicy.class),
                            rs.getTimestamp(7).toInstant(), rs.getLong(8)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("project " + rs.getString(2) + " has settings berth cannot read: "
                            + e.getOriginalMessage(), e);
                }
            }
        }
        return out;
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
}
