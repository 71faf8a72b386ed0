package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads {@code projects} (owned by auth; its management API arrives with issue #4). */
@ApplicationScoped
public class ProjectRepository {

    private final DataSource db;

    public ProjectRepository(DataSource db) {
        this.db = db;
    }

    /** Whether project {@code name} allows anonymous pulls; empty if there is no such project. */
    public Optional<Boolean> isPublic(String name) {
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
}
