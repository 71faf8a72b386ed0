package io.berth.auth.metadata;

import io.berth.security.ProjectRole;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads {@code project_members}: the role a user holds in a project, directly or through a group. */
@ApplicationScoped
public class MemberRepository {

    private final DataSource db;

    public MemberRepository(DataSource db) {
        this.db = db;
    }

    /**
     * The highest role that user {@code username}, or any of {@code groups}, holds in project
     * {@code project}; empty if none does (or there is no such project).
     */
    public Optional<ProjectRole> roleOf(String project, String username, Collection<String> groups) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT m.role FROM project_members m JOIN projects p ON p.id = m.project_id
                        WHERE p.name = ? AND ((m.member_kind = 'user' AND m.member_name = ?)
                            OR (m.member_kind = 'group' AND m.member_name = ANY (?)))""")) {
            ps.setString(1, project);
            ps.setString(2, username);
            ps.setArray(3, c.createArrayOf("text", groups.toArray()));
            Optional<ProjectRole> best = Optional.empty();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ProjectRole role = ProjectRole.fromWire(rs.getString(1));
                    // Enum order runs from most to least privileged.
                    if (best.isEmpty() || role.ordinal() < best.get().ordinal()) {
                        best = Optional.of(role);
                    }
                }
            }
            return best;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the members of project " + project + ": " + e.getMessage(), e);
        }
    }

    /** One membership. */
    /** The projects in which {@code username}, or one of {@code groups}, holds {@code role}. */
    public List<String> projectsWhere(String username, Collection<String> groups, ProjectRole role) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT DISTINCT p.name FROM project_members m JOIN projects p ON p.id = m.project_id
                        WHERE m.role = ? AND ((m.member_kind = 'user' AND m.member_name = ?)
                            OR (m.member_kind = 'group' AND m.member_name = ANY (?)))""")) {
            ps.setString(1, role.wireName());
            ps.setString(2, username);
            ps.setArray(3, c.createArrayOf("text", groups.toArray()));
            List<String> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the projects of " + username + ": " + e.getMessage(), e);
        }
    }

    public record Member(String kind, String name, ProjectRole role) {}

    /** The project's members, users first, by name. */
    public List<Member> list(String project) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT m.member_kind, m.member_name, m.role FROM project_members m
                        JOIN projects p ON p.id = m.project_id WHERE p.name = ?
                        ORDER BY m.member_kind DESC, m.member_name""")) {
            ps.setString(1, project);
            List<Member> out = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Member(rs.getString(1), rs.getString(2), ProjectRole.fromWire(rs.getString(3))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list the members of " + project + ": " + e.getMessage(), e);
        }
    }

    /** Adds a member; false if it is one already (or there is no such project). */
    public boolean add(String project, String kind, String name, ProjectRole role) {
        return write("""
                INSERT INTO project_members (project_id, member_kind, member_name, role)
                SELECT id, ?, ?, ? FROM projects WHERE name = ? ON CONFLICT DO NOTHING""",
                kind, name, role.wireName(), project);
    }

    /** Changes a member's role; false if there is no such member. */
    public boolean setRole(String project, String kind, String name, ProjectRole role) {
        return write("""
                UPDATE project_members SET role = ? WHERE member_kind = ? AND member_name = ?
                AND project_id = (SELECT id FROM projects WHERE name = ?)""",
                role.wireName(), kind, name, project);
    }

    /** Removes a member; false if there is no such member. */
    public boolean remove(String project, String kind, String name) {
        return write("""
                DELETE FROM project_members WHERE member_kind = ? AND member_name = ?
                AND project_id = (SELECT id FROM projects WHERE name = ?)""",
                kind, name, project);
    }

    private boolean write(String sql, String... args) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not change project members: " + e.getMessage(), e);
        }
    }
}
