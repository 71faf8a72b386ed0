package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The catalog: every repository's name, for {@code GET /v2/_catalog}. */
@ApplicationScoped
public class CatalogRepository {

    private final DataSource db;

    public CatalogRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Up to {@code limit} repository names after {@code last} (exclusive; null for the start),
     * in byte order (COLLATE "C", whatever the database's default collation).
     *
     * @throws MetadataUnavailableException if the database fails
     */
    public List<String> list(String last, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT name FROM repositories
                WHERE ?::text IS NULL OR name COLLATE "C" > ?
                ORDER BY name COLLATE "C" LIMIT ?""")) {
            ps.setString(1, last);
            ps.setString(2, last);
            ps.setInt(3, limit);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("list repositories", e);
        }
    }

    /**
     * Up to {@code limit} names of the repositories of {@code project}, in byte order: what a
     * Basic caller of the browsing API asks auth for pull on (security/ManagementAuthFilter).
     *
     * @throws MetadataUnavailableException if the database fails
     */
    public List<String> inProject(String project, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT r.name FROM repositories r JOIN projects p ON p.id = r.project_id
                WHERE p.name = ? ORDER BY r.name COLLATE "C" LIMIT ?""")) {
            ps.setString(1, project);
            ps.setInt(2, limit);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("list the repositories of project " + project, e);
        }
    }
}
