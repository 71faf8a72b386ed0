package io.berth.registry.metadata;

import io.berth.oci.Digest;
import io.berth.storage.ObjectId;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
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

    /**
     * Links a stored blob into a repository, as pending (uploaded or mounted, not yet referenced);
     * linking twice is not an error. Joins the caller's transaction.
     */
    public void link(long repositoryId, Digest digest) {
        try (Connection c = db.getConnection()) {
            link(c, repositoryId, digest);
        } catch (SQLException e) {
            throw Sql.failure("link blob", e);
        }
    }

    /**
     * Marks the links of {@code digests} in the repository as no longer pending: a manifest of
     * the repository now references them, and from now on only references keep them counted.
     */
    public void adopt(long repositoryId, Collection<String> digests) {
        if (digests.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                UPDATE repository_blobs SET pending = false
                WHERE repository_id = ? AND digest = ANY (?) AND pending""")) {
            ps.setLong(1, repositoryId);
            ps.setArray(2, c.createArrayOf("text", digests.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("adopt blob links", e);
        }
    }

    /** Removes the blob's link from the repository; false if there was none. The bytes stay for gc. */
    public boolean unlink(long repositoryId, Digest digest) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "DELETE FROM repository_blobs WHERE repository_id = ? AND digest = ?")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest.toString());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Sql.failure("unlink blob", e);
        }
    }

    /** The digests of every blob linked into the repository. */
    public List<String> linked(long repositoryId) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT digest FROM repository_blobs WHERE repository_id = ?")) {
            ps.setLong(1, repositoryId);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("list blob links", e);
        }
    }

    /**
     * Finishes an upload: records the blob (unless its digest is already stored), links it into
     * the session's repository and removes the session. Must run inside the caller's transaction,
     * which also holds the project's usage lock, so the link and the usage it adds commit together.
     *
     * @return the blob as stored: {@code written}'s object, or the existing one when the digest was
     *     already known (the caller then deletes {@code written}'s object); empty if the session
     *     was removed meanwhile (nothing is changed then)
     */
    public Optional<StoredBlob> commitUpload(UUID uploadId, long repositoryId, StoredBlob written) {
        try (Connection c = db.getConnection()) {
            return commit(c, uploadId, repositoryId, written);
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
        // The digest's row is ours or an older one, held FOR KEY SHARE until commit so that gc
        // (ADR 0027) cannot delete it under the link. If gc deleted it between the insert that
        // found it and the lock (gc holds it FOR UPDATE, then deletes), the lock finds nothing
        // and this upload's own object becomes the blob: the push keeps it alive.
        for (int attempt = 1; ; attempt++) {
            try (var ps = c.prepareStatement("""
                    INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?)
                    ON CONFLICT (digest) DO NOTHING""")) {
                ps.setString(1, written.digest().toString());
                ps.setObject(2, written.objectId().value());
                ps.setLong(3, written.size());
                ps.executeUpdate();
            }
            Optional<StoredBlob> held = hold(c, written.digest());
            if (held.isPresent()) {
                link(c, repositoryId, written.digest());
                return held;
            }
            if (attempt == 3) {
                throw new SQLException("blob " + written.digest() + " vanished three times while it was committed");
            }
        }
    }

    /**
     * Locks blob {@code digest}'s row {@code FOR KEY SHARE} until the caller's transaction ends,
     * so that gc cannot delete it while the caller links it (ADR 0027): for a mount. Joins the
     * caller's transaction.
     *
     * @return the blob, or empty if it no longer exists (gc deleted it: upload it instead)
     */
    public Optional<StoredBlob> hold(Digest digest) {
        try (Connection c = db.getConnection()) {
            return hold(c, digest);
        } catch (SQLException e) {
            throw Sql.failure("hold blob", e);
        }
    }

    private static Optional<StoredBlob> hold(Connection c, Digest digest) throws SQLException {
        try (var ps = c.prepareStatement("SELECT object_id, size FROM blobs WHERE digest = ? FOR KEY SHARE")) {
            ps.setString(1, digest.toString());
            return read(ps, digest);
        }
    }

    /**
     * A new link is pending. Linking again a blob the repository's manifests no longer reference
     * (left behind by a manifest delete) makes it pending again: the client asked for it anew,
     * so it counts again, and its grace window before gc starts anew (ADR 0027); a link a manifest
     * references stays as it is.
     */
    private static void link(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (var ps = c.prepareStatement("""
                INSERT INTO repository_blobs AS rb (repository_id, digest) VALUES (?, ?)
                ON CONFLICT (repository_id, digest) DO UPDATE SET pending = true, linked_at = now()
                WHERE NOT rb.pending AND NOT EXISTS (
                    SELECT 1 FROM manifests m
                    JOIN manifest_references mr
                        ON mr.manifest_id = m.id AND mr.kind = 'blob' AND mr.digest = rb.digest
                    WHERE m.repository_id = rb.repository_id)""")) {
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
