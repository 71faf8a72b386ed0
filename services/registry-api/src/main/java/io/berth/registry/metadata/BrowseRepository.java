package io.berth.registry.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Read-only listings for the management API (browsing projects, repositories and artifacts).
 * Each listing is one statement: the page, its aggregates (GROUP BY and array_agg over only
 * the page's rows) and the total count together, so a page costs one round trip however many
 * rows it shows. The {@code (SELECT 1) LEFT JOIN page} keeps one row with the total even when
 * the page is past the end. An artifact's scan state comes in the same statement (a LEFT JOIN of
 * scanner-bridge's {@code manifest_scans} on its primary key), and an index's stored bytes, for the
 * platforms of its entries (image manifests' bytes are not read).
 */
@ApplicationScoped
public class BrowseRepository {

    private static final String REPOSITORIES = """
            WITH r AS (
                SELECT id, name, created_at FROM repositories
                WHERE project_id = ? AND (?::text[] IS NULL OR name = ANY (?))),
            page AS (SELECT * FROM r ORDER BY name COLLATE "C" LIMIT ? OFFSET ?),
            m AS (
                SELECT repository_id, count(*) AS n, sum(size) AS bytes, max(pushed_at) AS last
                FROM manifests WHERE repository_id IN (SELECT id FROM page) GROUP BY repository_id),
            t AS (
                SELECT repository_id, count(*) AS n
                FROM tags WHERE repository_id IN (SELECT id FROM page) GROUP BY repository_id),
            b AS (
                SELECT rb.repository_id, sum(bl.size) AS bytes
                FROM repository_blobs rb JOIN blobs bl ON bl.digest = rb.digest
                WHERE rb.repository_id IN (SELECT id FROM page) GROUP BY rb.repository_id)
            SELECT (SELECT count(*) FROM r), p.name, coalesce(m.n, 0), coalesce(t.n, 0),
                coalesce(b.bytes, 0) + coalesce(m.bytes, 0), m.last, p.created_at
            FROM (SELECT 1) one
            LEFT JOIN page p ON true
            LEFT JOIN m ON m.repository_id = p.id
            LEFT JOIN t ON t.repository_id = p.id
            LEFT JOIN b ON b.repository_id = p.id
            ORDER BY p.name COLLATE "C"
            """;

    // id breaks ties between pushes in the same microsecond; newest first either way.
    private static final String ARTIFACTS = """
            WITH a AS (SELECT id, pushed_at FROM manifests WHERE repository_id = ?),
            page AS (SELECT id FROM a ORDER BY pushed_at DESC, id DESC LIMIT ? OFFSET ?),
            t AS (
                SELECT manifest_id, array_agg(name ORDER BY name COLLATE "C") AS names
                FROM tags WHERE manifest_id IN (SELECT id FROM page) GROUP BY manifest_id),
            c AS (
                SELECT manifest_id, array_agg(digest ORDER BY digest) AS digests
                FROM manifest_references
                WHERE kind = 'manifest' AND manifest_id IN (SELECT id FROM page)
                GROUP BY manifest_id)
            SELECT (SELECT count(*) FROM a), m.digest, m.media_type, m.artifact_type, t.names,
                m.size, m.total_size, m.pushed_at, m.last_pulled_at, m.subject_digest, c.digests,
                ms.status, ms.summary::text, sc.name, ms.updated_at,
                CASE WHEN lower(btrim(split_part(m.media_type, ';', 1))) IN ('%s', '%s') THEN m.content END
            FROM (SELECT 1) one
            LEFT JOIN page p ON true
            LEFT JOIN manifests m ON m.id = p.id
            LEFT JOIN t ON t.manifest_id = p.id
            LEFT JOIN c ON c.manifest_id = p.id
            LEFT JOIN manifest_scans ms ON ms.manifest_id = p.id
            LEFT JOIN scanners sc ON sc.id = ms.scanner_id
            ORDER BY m.pushed_at DESC, m.id DESC""".formatted(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);

    private final DataSource db;
    private final ObjectMapper json;

    public BrowseRepository(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * The id of the project named {@code name}, if it exists.
     *
     * @throws MetadataUnavailableException if the database fails
     */
    public Optional<Long> projectId(String name) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("find project", e);
        }
    }

    /**
     * A page of the project's repositories in byte order of their names.
     *
     * @param only the full names to restrict the listing to, or null for all
     * @throws MetadataUnavailableException if the database fails
     */
    public Page<RepositorySummary> repositories(long projectId, Set<String> only, long offset, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(REPOSITORIES)) {
            Array names = only == null ? null : c.createArrayOf("text", only.toArray());
            ps.setLong(1, projectId);
            ps.setArray(2, names);
            ps.setArray(3, names);
            ps.setInt(4, limit);
            ps.setLong(5, offset);
            long total = 0;
            List<RepositorySummary> items = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong(1);
                    if (rs.getString(2) != null) {
                        items.add(new RepositorySummary(rs.getString(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), instant(rs, 6), instant(rs, 7)));
                    }
                }
            }
            return new Page<>(total, items);
        } catch (SQLException e) {
            throw Sql.failure("list repositories", e);
        }
    }

    /**
     * A page of the repository's manifests, most recently pushed first.
     *
     * @throws MetadataUnavailableException if the database fails
     */
    public Page<ArtifactSummary> artifacts(long repositoryId, long offset, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(ARTIFACTS)) {
            ps.setLong(1, repositoryId);
            ps.setInt(2, limit);
            ps.setLong(3, offset);
            long total = 0;
            List<ArtifactSummary> items = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    total = rs.getLong(1);
                    if (rs.getString(2) != null) {
                        items.add(new ArtifactSummary(rs.getString(2), rs.getString(3),
                                rs.getString(4), strings(rs.getArray(5)), rs.getLong(6),
                                rs.getLong(7), instant(rs, 8), instant(rs, 9), rs.getString(10),
                                strings(rs.getArray(11)), platforms(rs.getString(2), rs.getString(3), rs.getBytes(16)), scan(rs)));
                    }
                }
            }
            return new Page<>(total, items);
        } catch (SQLException e) {
            throw Sql.failure("list artifacts", e);
        }
    }

    /**
     * The digest {@code tag} points to in the repository, locking the tag row until the
     * transaction ends, so a delete that checked it removes exactly that tag even if a push is
     * moving it at the same moment. Must run inside a transaction.
     *
     * @throws MetadataUnavailableException if the database fails
     */
    public Optional<String> lockTag(long repositoryId, String tag) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                SELECT m.digest FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND t.name = ?
                FOR UPDATE OF t""")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, tag);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure("lock tag", e);
        }
    }

    /** The artifact's row of manifest_scans (columns 12 to 15), or null if it has none. */
    private ScanSummary scan(ResultSet rs) throws SQLException {
        String status = rs.getString(12);
        if (status == null) {
            return null;
        }
        String summary = rs.getString(13);
        try {
            return new ScanSummary(status, summary == null ? null : json.readTree(summary), rs.getString(14),
                    instant(rs, 15));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest_scans.summary is not JSON", e);
        }
    }

    /**
     * The entries of a stored index (column 16, null for anything else) with their platforms, in
     * the index's order. The bytes passed validation when they were pushed; if they no longer
     * parse, the row is broken, which is no client's fault.
     */
    private static List<ChildPlatform> platforms(String digest, String mediaType, byte[] index) {
        if (index == null) {
            return List.of();
        }
        Manifest parsed;
        try {
            parsed = ManifestParser.parse(index, mediaType, Digest.parse(digest).algorithm());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the stored index " + digest + " does not parse: " + e.getMessage(), e);
        }
        List<ChildPlatform> out = new ArrayList<>(parsed.manifests().size());
        for (Descriptor child : parsed.manifests()) {
            Platform p = child.platform();
            out.add(new ChildPlatform(child.digest().toString(), p == null ? null : p.os(),
                    p == null ? null : p.architecture(), p == null ? null : p.variant()));
        }
        return List.copyOf(out);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
