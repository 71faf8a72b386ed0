package io.berth.registry.metadata;

import io.berth.oci.Digest;
import io.berth.storage.ObjectId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Blobs ({@code blobs}: digest to object) and their links into repositories
 * ({@code repository_blobs}). A repository sees a blob only through a link, so every read here
 * goes through one.
 */
@ApplicationScoped
public class BlobRepository {

    private final DataSource db;

    public BlobRepository(DataSource db) {
        this.db = db;
    }

    /** The blob, if it is linked into the repository named {@code repository}. */
    public Optional<StoredBlob> findLinked(String repository, Digest digest) {
        return queryOne("""
                SELECT b.object_id, b.size FROM blobs b
                JOIN repository_blobs rb ON rb.digest = b.digest
                JOIN repositories r ON r.id = rb.repository_id
                WHERE r.name = ? AND b.digest = ?""", repository, digest);
    }

    /** The blob, if any repository of the project links it (for a mount without {@code from}). */
    public Optional<StoredBlob> findLinkedInProject(long projectId, Digest digest) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT b.object_id, b.size FROM blobs b
                        WHERE b.digest = ? AND EXISTS (SELECT 1 FROM repository_blobs rb
                            JOIN repositories r ON r.id = rb.repository_id
                            WHERE rb.digest = b.digest AND r.project_id = ?)""")) {
            ps.setString(1, digest.toString());
            ps.setLong(2, projectId);
            return read(ps, digest);
        } catch (SQLException e) {
            throw Sql.failure("find blob in project", e);
        }
    }

    /** Links a stored blob into a repository; linking twice is not an error. */
    public void link(long repositoryId, Digest digest) {
        try (Connection c = db.getConnection()) {
            link(c, repositoryId, digest);
        } catch (SQLException e) {
            throw Sql.failure("link blob", e);
        }
    }

    /** Removes the blob's link from the repository; false if there was none. The bytes stay for gc. */
    public boolean unlink(String repository, Digest digest) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        DELETE FROM repository_blobs
                        WHERE digest = ? AND repository_id = (SELECT id FROM repositories WHERE name = ?)""")) {
            ps.setString(1, digest.toString());
            ps.setString(2, repository);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Sql.failure("unlink blob", e);
        }
    }

    /**
     * Finishes an upload in one transaction: records the blob (unless its digest is already
     * stored), links it into the session's repository and removes the session. Plain JDBC has no
     * container transaction here, so this one method owns it.
     *
     * @return the blob as stored: {@code written}'s object, or the existing one when the digest was
     *     already known (the caller then deletes {@code written}'s object); empty if the session
     *     was removed meanwhile (nothing is changed then)
     */
    public Optional<StoredBlob> commitUpload(UUID uploadId, long repositoryId, StoredBlob written) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<StoredBlob> stored = commit(c, uploadId, repositoryId, written);
                if (stored.isPresent()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Sql.failure("commit upload", e);
        }
    }

    private static Optional<StoredBlob> commit(Connection c, UUID uploadId, long repositoryId, StoredBlob written)
            throws SQLException {
        try (var ps = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
            ps.setObject(1, uploadId);
            if (ps.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        try (var ps = c.prepareStatement("""
                INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?)
                ON CONFLICT (digest) DO NOTHING""")) {
            ps.setString(1, written.digest().toString());
            ps.setObject(2, written.objectId().value());
            ps.setLong(3, written.size());
            ps.executeUpdate();
        }
        StoredBlob stored;
        try (var ps = c.prepareStatement("SELECT object_id, size FROM blobs WHERE digest = ?")) {
            ps.setString(1, written.digest().toString());
            stored = read(ps, written.digest()).orElseThrow();
        }
        link(c, repositoryId, written.digest());
        return Optional.of(stored);
    }

    private static void link(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO repository_blobs (repository_id, digest) VALUES (?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest.toString());
            ps.executeUpdate();
        }
    }

    private Optional<StoredBlob> queryOne(String sql, String repository, Digest digest) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, repository);
            ps.setString(2, digest.toString());
            return read(ps, digest);
        } catch (SQLException e) {
            throw Sql.failure("find blob", e);
        }
    }

    private static Optional<StoredBlob> read(java.sql.PreparedStatement ps, Digest digest) throws SQLException {
        try (var rs = ps.executeQuery()) {
            return rs.next()
                    ? Optional.of(new StoredBlob(digest, new ObjectId(rs.getObject(1, UUID.class)), rs.getLong(2)))
                    : Optional.empty();
        }
    }
}
