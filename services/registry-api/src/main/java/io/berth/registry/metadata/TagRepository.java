package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tags: mutable names for manifests within a repository. Like {@link ManifestRepository}, every
 * method joins the caller's transaction; database failures become
 * {@link MetadataUnavailableException}.
 */
@ApplicationScoped
public class TagRepository {

    private final DataSource db;

    public TagRepository(DataSource db) {
        this.db = db;
    }

    /** Points {@code tag} at the manifest {@code manifestId}, creating or moving it. */
    public void put(long repositoryId, String tag, long manifestId) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, ?, ?)
                ON CONFLICT (repository_id, name)
                DO UPDATE SET manifest_id = EXCLUDED.manifest_id, updated_at = now()""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, tag);
            ps.setLong(3, manifestId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("move tag", e);
        }
    }

    /**
     * Deletes {@code tag}; the manifest it pointed to stays.
     *
     * @return the manifest the tag pointed to (without content), or empty if there was no tag
     */
    public Optional<StoredManifest> delete(long repositoryId, String tag) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                DELETE FROM tags t USING manifests m
                WHERE t.repository_id = ? AND t.name = ? AND m.id = t.manifest_id
                RETURNING m.id, m.digest, m.media_type, m.artifact_type, m.size""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, tag);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ManifestRepository.metadata(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("delete tag", e);
        }
    }

    /**
     * Up to {@code limit} tag names after {@code last} (exclusive; null for the start), in
     * byte order. COLLATE "C" makes that Go's sort.Strings order, which the spec allows,
     * whatever the database's default collation.
     */
    public List<String> list(long repositoryId, String last, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT name FROM tags
                WHERE repository_id = ? AND (?::text IS NULL OR name COLLATE "C" > ?)
                ORDER BY name COLLATE "C" LIMIT ?""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, last);
            ps.setString(3, last);
            ps.setInt(4, limit);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("list tags", e);
        }
    }

    /** Those of {@code names} that exist in the repository, with the digest each points at. */
    public Map<String, String> current(long repositoryId, Collection<String> names) {
        Map<String, String> found = new HashMap<>();
        if (names.isEmpty()) {
            return found;
        }
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT t.name, m.digest FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND t.name = ANY (?)""")) {
            ps.setLong(1, repositoryId);
            ps.setArray(2, c.createArrayOf("text", names.toArray()));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Sql.failure("read tags", e);
        }
    }

    /** The tags of the repository that point at manifest {@code digest}. */
    public List<String> pointingAt(long repositoryId, String digest) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT t.name FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND m.digest = ?""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("read the tags of a manifest", e);
        }
    }

    /** Every tag of the repository. */
    public List<String> all(long repositoryId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT name FROM tags WHERE repository_id = ?")) {
            ps.setLong(1, repositoryId);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("read the tags of a repository", e);
        }
    }
}
