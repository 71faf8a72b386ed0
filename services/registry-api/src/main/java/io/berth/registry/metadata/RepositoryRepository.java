package io.berth.registry.metadata;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Repositories and the projects they live in. A repository exists once something was pushed
 * into it; its project must exist first (projects are auth's, registry-api only reads them).
 */
@ApplicationScoped
public class RepositoryRepository {

    private final DataSource db;

    public RepositoryRepository(DataSource db) {
        this.db = db;
    }

    /** The repository, if anything was ever pushed to it. */
    public Optional<Repository> find(RepositoryName name) {
        try (Connection c = db.getConnection()) {
            return find(c, name.value());
        } catch (SQLException e) {
            throw Sql.failure("find repository", e);
        }
    }

    /**
     * The repository, created on first use, for a push.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository's project does not exist
     */
    public Repository findOrCreate(RepositoryName name) {
        try (Connection c = db.getConnection()) {
            Optional<Repository> existing = find(c, name.value());
            if (existing.isPresent()) {
                return existing.get();
            }
            long projectId = projectId(c, name.project()).orElseThrow(() -> new RegistryException(
                    RegistryErrorCode.NAME_UNKNOWN,
                    Map.of("name", name.value(), "reason", "project '" + name.project() + "' does not exist")));
            // Two pushes may create the same repository at once: the loser reads the winner's row.
            try (var ps = c.prepareStatement("""
                    INSERT INTO repositories (project_id, name) VALUES (?, ?)
                    ON CONFLICT (name) DO NOTHING""")) {
                ps.setLong(1, projectId);
                ps.setString(2, name.value());
                ps.executeUpdate();
            }
            return find(c, name.value()).orElseThrow();
        } catch (SQLException e) {
            throw Sql.failure("create repository", e);
        }
    }

    /** The repository with id {@code id}, if it still exists. */
    public Optional<Repository> find(long id) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT project_id, name FROM repositories WHERE id = ?")) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Repository(id, rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("find repository", e);
        }
    }

    /**
     * Deletes the repository; its manifests, references, tags, blob links and upload sessions go
     * with it (ON DELETE CASCADE). Blob bytes stay for gc.
     */
    public void delete(long id) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM repositories WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("delete repository", e);
        }
    }

    private static Optional<Repository> find(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT id, project_id FROM repositories WHERE name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Repository(rs.getLong(1), rs.getLong(2), name))
                        : Optional.empty();
            }
        }
    }

    private static Optional<Long> projectId(Connection c, String project) throws SQLException {
        try (var ps = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            ps.setString(1, project);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
