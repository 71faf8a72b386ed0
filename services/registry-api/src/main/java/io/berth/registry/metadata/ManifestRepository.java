package io.berth.registry.metadata;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.Reference;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Manifests, their references and the referrers index, in plain SQL. Inside a service
 * transaction every method joins it (the JTA-enlisted DataSource hands out the transaction's
 * connection), so a push or delete is all-or-nothing.
 *
 * <p>Unknown repositories and manifests are reported as the spec's NAME_UNKNOWN and
 * MANIFEST_UNKNOWN here, at the storage boundary; database failures become
 * {@link MetadataUnavailableException}.
 */
@ApplicationScoped
public class ManifestRepository {

    // One statement answers both "does the repository exist" (a row at all) and "does the
    // manifest exist" (m.id not null): a pull is a single indexed query.
    private static final String BY_TAG = """
            SELECT r.id, m.id, m.digest, m.media_type, m.artifact_type, m.size%s
            FROM repositories r
            LEFT JOIN tags t ON t.repository_id = r.id AND t.name = ?
            LEFT JOIN manifests m ON m.id = t.manifest_id
            WHERE r.name = ?""";
    private static final String BY_DIGEST = """
            SELECT r.id, m.id, m.digest, m.media_type, m.artifact_type, m.size%s
            FROM repositories r
            LEFT JOIN manifests m ON m.repository_id = r.id AND m.digest = ?
            WHERE r.name = ?""";

    // The pull of a gated project: the same lookup with the manifest's manifest_scans row joined
    // on its primary key, and only the gate entries at or above the threshold (the first
    // parameter, an array of severities) leave the database.
    private static final String SCANNED = """
            , m.content, s.status, (s.status = 'success' OR s.summary IS NOT NULL),
                CASE WHEN jsonb_typeof(s.gate) = 'array' THEN (
                    SELECT jsonb_agg(e)::text FROM jsonb_array_elements(s.gate) e
                    WHERE lower(e->>'severity') = ANY (?)) END""";
    private static final String BY_TAG_SCANNED = BY_TAG.formatted(SCANNED)
            .replace("WHERE r.name = ?", "LEFT JOIN manifest_scans s ON s.manifest_id = m.id\nWHERE r.name = ?");
    private static final String BY_DIGEST_SCANNED = BY_DIGEST.formatted(SCANNED)
            .replace("WHERE r.name = ?", "LEFT JOIN manifest_scans s ON s.manifest_id = m.id\nWHERE r.name = ?");

    private final DataSource db;

    public ManifestRepository(DataSource db) {
        this.db = db;
    }

    /**
     * The manifest {@code reference} (a tag or a digest) points to in {@code name}.
     *
     * @param withContent whether to read the bytes too (GET) or only the metadata (HEAD)
     * @throws RegistryException NAME_UNKNOWN if the repository does not exist, MANIFEST_UNKNOWN
     *     if the tag or digest is unknown in it
     */
    public StoredManifest get(RepositoryName name, Reference reference, boolean withContent) {
        String sql = (reference.isDigest() ? BY_DIGEST : BY_TAG)
                .formatted(withContent ? ", m.content" : "");
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, reference.toString());
            ps.setString(2, name.value());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw nameUnknown(name);
                }
                if (rs.getObject(2) == null) {
                    throw RegistryException.of(RegistryErrorCode.MANIFEST_UNKNOWN,
                            Map.of("name", name.value(), "reference", reference.toString()));
                }
                return new StoredManifest(rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), withContent ? rs.getBytes(7) : null);
            }
        } catch (SQLException e) {
            throw Sql.failure("read manifest", e);
        }
    }

    /**
     * As {@link #get} with the bytes, plus what the pull gate needs of the manifest's scan, in the
     * same single query (a join on {@code manifest_scans}' primary key).
     *
     * @param severities the severities at or above the project's threshold, lowercase
     * @throws RegistryException NAME_UNKNOWN or MANIFEST_UNKNOWN, as {@link #get}
     */
    public ScannedManifest getScanned(RepositoryName name, Reference reference, List<String> severities) {
        String sql = reference.isDigest() ? BY_DIGEST_SCANNED : BY_TAG_SCANNED;
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", severities.toArray()));
            ps.setString(2, reference.toString());
            ps.setString(3, name.value());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw nameUnknown(name);
                }
                if (rs.getObject(2) == null) {
                    throw RegistryException.of(RegistryErrorCode.MANIFEST_UNKNOWN,
                            Map.of("name", name.value(), "reference", reference.toString()));
                }
                StoredManifest m = new StoredManifest(rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getBytes(7));
                return new ScannedManifest(m, rs.getString(8), rs.getBoolean(9), rs.getString(10));
            }
        } catch (SQLException e) {
            throw Sql.failure("read manifest", e);
        }
    }

    /** The sizes of those of {@code digests} that are blobs linked to the repository. */
    public Map<Digest, Long> linkedBlobSizes(long repositoryId, Collection<Digest> digests) {
        Map<Digest, Long> sizes = new HashMap<>();
        if (digests.isEmpty()) {
            return sizes;
        }
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT b.digest, b.size FROM repository_blobs rb
                JOIN blobs b ON b.digest = rb.digest
                WHERE rb.repository_id = ? AND rb.digest = ANY (?)""")) {
            ps.setLong(1, repositoryId);
            ps.setArray(2, c.createArrayOf("text", strings(digests)));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    sizes.put(Digest.parse(rs.getString(1)), rs.getLong(2));
                }
            }
            return sizes;
        } catch (SQLException e) {
            throw Sql.failure("look up linked blobs", e);
        }
    }

    /** Those of {@code digests} that are manifests stored in the repository. */
    public Set<Digest> existing(long repositoryId, Collection<Digest> digests) {
        Set<Digest> found = new HashSet<>();
        if (digests.isEmpty()) {
            return found;
        }
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT digest FROM manifests WHERE repository_id = ? AND digest = ANY (?)")) {
            ps.setLong(1, repositoryId);
            ps.setArray(2, c.createArrayOf("text", strings(digests)));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(Digest.parse(rs.getString(1)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Sql.failure("look up child manifests", e);
        }
    }

    /**
     * Stores {@code manifest} and its references; pushing the same bytes again keeps the
     * existing row (and its first push time) and returns its id.
     *
     * @param annotationsJson the annotations as a JSON object, or null for none
     */
    public long insert(long repositoryId, Manifest manifest, byte[] content, long totalSize,
            String annotationsJson) {
        try (Connection c = db.getConnection()) {
            long id;
            // DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING yields the existing id.
            try (var ps = c.prepareStatement("""
                    INSERT INTO manifests (repository_id, digest, media_type, artifact_type,
                        content, size, total_size, subject_digest, annotations)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                    ON CONFLICT (repository_id, digest)
                    DO UPDATE SET digest = EXCLUDED.digest
                    RETURNING id""")) {
                ps.setLong(1, repositoryId);
                ps.setString(2, manifest.digest().toString());
                ps.setString(3, manifest.mediaType());
                ps.setString(4, manifest.artifactType());
                ps.setBytes(5, content);
                ps.setLong(6, manifest.size());
                ps.setLong(7, totalSize);
                ps.setString(8, manifest.subject() == null ? null
                        : manifest.subject().digest().toString());
                ps.setString(9, annotationsJson);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            insertReferences(c, id, "blob", manifest.blobReferences());
            insertReferences(c, id, "manifest", manifest.manifestReferences());
            return id;
        } catch (SQLException e) {
            throw Sql.failure("store manifest", e);
        }
    }

    /**
     * Deletes the manifest {@code digest}; its tags and reference rows go with it (ON DELETE
     * CASCADE). Indexes that list it as a child are left alone, as distribution does.
     *
     * @return the deleted manifest (without content), or empty if there was none
     */
    public Optional<StoredManifest> delete(long repositoryId, Digest digest) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                DELETE FROM manifests WHERE repository_id = ? AND digest = ?
                RETURNING id, digest, media_type, artifact_type, size""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest.toString());
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(metadata(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("delete manifest", e);
        }
    }

    /** The blobs (config, layers) manifest {@code digest} of the repository references. */
    public List<String> blobReferences(long repositoryId, String digest) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT mr.digest FROM manifests m
                JOIN manifest_references mr ON mr.manifest_id = m.id AND mr.kind = 'blob'
                WHERE m.repository_id = ? AND m.digest = ?""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest);
            return Sql.strings(ps);
        } catch (SQLException e) {
            throw Sql.failure("read manifest references", e);
        }
    }

    /** Every manifest of the repository (without content). */
    public List<StoredManifest> all(long repositoryId) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT id, digest, media_type, artifact_type, size FROM manifests
                WHERE repository_id = ? ORDER BY id""")) {
            ps.setLong(1, repositoryId);
            List<StoredManifest> all = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(metadata(rs));
                }
            }
            return all;
        } catch (SQLException e) {
            throw Sql.failure("list manifests", e);
        }
    }

    /**
     * Up to {@code limit} manifests of the repository whose subject is {@code subject}, in digest
     * order after {@code after} (null: from the start), optionally only those of
     * {@code artifactType}.
     */
    public List<Referrer> referrers(long repositoryId, Digest subject, String artifactType, String after, int limit) {
        String sql = """
                SELECT media_type, digest, size, artifact_type, annotations::text FROM manifests
                WHERE repository_id = ? AND subject_digest = ?"""
                + (artifactType == null ? "" : " AND artifact_type = ?")
                + (after == null ? "" : " AND digest > ?")
                + " ORDER BY digest LIMIT ?";
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, repositoryId);
            ps.setString(i++, subject.toString());
            if (artifactType != null) {
                ps.setString(i++, artifactType);
            }
            if (after != null) {
                ps.setString(i++, after);
            }
            ps.setInt(i, limit);
            List<Referrer> referrers = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    referrers.add(new Referrer(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return referrers;
        } catch (SQLException e) {
            throw Sql.failure("list referrers", e);
        }
    }

    /** Reads id, digest, media_type, artifact_type, size (in that order) without content. */
    static StoredManifest metadata(ResultSet rs) throws SQLException {
        return new StoredManifest(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getLong(5), null);
    }

    static RegistryException nameUnknown(RepositoryName name) {
        return RegistryException.of(RegistryErrorCode.NAME_UNKNOWN, Map.of("name", name.value()));
    }

    private static void insertReferences(Connection c, long manifestId, String kind,
            List<Descriptor> descriptors) throws SQLException {
        if (descriptors.isEmpty()) {
            return;
        }
        // The same digest may appear twice (the empty descriptor as config and layer).
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO manifest_references (manifest_id, kind, digest) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            for (Descriptor d : descriptors) {
                ps.setLong(1, manifestId);
                ps.setString(2, kind);
                ps.setString(3, d.digest().toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String[] strings(Collection<Digest> digests) {
        return digests.stream().map(Digest::toString).distinct().toArray(String[]::new);
    }
}
