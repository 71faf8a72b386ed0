package io.berth.auth.metadata;

import io.berth.security.ProjectRole;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
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
}
