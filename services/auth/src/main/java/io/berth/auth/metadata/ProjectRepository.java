package io.berth.auth.metadata;

import io.berth.security.ProjectRole;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code projects}, owned by auth; registry-api reads it. */
@ApplicationScoped
public class ProjectRepository {

    /** One project as its API shows it. */
    public record Project(long id, String name, boolean isPublic, Instant createdAt) {}

    private final DataSource db;

    public ProjectRepository(DataSource db) {
        this.db = db;
    }

    /** Whether project {@code name} allows anonymous pulls; empty if there is no such project. */
    public Optional<Boolean> isPublic(String name) {
        return find(name).map(Project::isPublic);
    }

    public Optional<Project> find(String name) {
        List<Project> found = query("SELECT id, name, public, created_at FROM projects WHERE name = ?", List.of(name));
        return found.stream().findFirst();
    }

    /**
     * Every project if {@code all}; else the public ones and those {@code username} or one of
     * {@code groups} is a member of. By name.
     */
    public List<Project> list(boolean all, String username, Collection<String> groups) {
        if (all) {
            return query("SELECT id, name, public, created_at FROM projects ORDER BY name", List.of());
        }
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT id, name, public, created_at FROM projects p WHERE public OR EXISTS (
                            SELECT 1 FROM project_members m WHERE m.project_id = p.id
                            AND ((m.member_kind = 'user' AND m.member_name = ?)
                                OR (m.member_kind = 'group' AND m.member_name = ANY (?))))
                        ORDER BY name""")) {
            ps.setString(1, username);
            ps.setArray(2, c.createArrayOf("text", groups.toArray()));
            return read(ps);
        } catch (SQLException e) {
            throw failure("list projects", e);
        }
    }

    /**
     * Creates a project with its first member, {@code admin} as projectAdmin. Both rows or
     * neither: the caller runs this in a transaction ({@code @Transactional}).
     *
     * @return false if the name is taken (nothing is written then)
     */
    public boolean create(String name, boolean isPublic, String admin) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement(
                        "INSERT INTO projects (name, public) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
            ps.setString(1, name);
            ps.setBoolean(2, isPublic);
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
            return true;
        } catch (SQLException e) {
            throw failure("create project " + name, e);
        }
    }

    /** Sets whether the project is public; false if there is no such project. */
    public boolean setPublic(String name, boolean isPublic) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("UPDATE projects SET public = ?, updated_at = now() WHERE name = ?")) {
            ps.setBoolean(1, isPublic);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("update project " + name, e);
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

    private static List<Project> read(java.sql.PreparedStatement ps) throws SQLException {
        List<Project> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Project(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant()));
            }
        }
        return out;
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
}
