package io.berth.gc.support;

import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes registry state as registry-api would leave it (projects, repositories, blob rows with
 * their objects in the real store, links, manifests with their references, tags) into gc's test
 * schema, and reads back what gc left. Every name and content is unique per call, so tests never
 * collide.
 */
public final class RegistryFixture {

    /** A stored blob. */
    public record Blob(String digest, UUID objectId, long size) {}

    /** A stored manifest. */
    public record Manifest(long id, long repositoryId, String digest, long size) {}

    private final DataSource db;
    private final BlobStore store;

    public RegistryFixture(DataSource db, BlobStore store) {
        this.db = db;
        this.store = store;
    }

    /** A new project; returns its id. Its name is {@code prefix-<random>}. */
    public long project(String prefix) {
        return insertId("INSERT INTO projects (name) VALUES (?) RETURNING id", prefix + "-" + random());
    }

    public String projectName(long projectId) {
        return text("SELECT name FROM projects WHERE id = ?", projectId);
    }

    /** A new repository {@code <project>/<name>} of the project; returns its id. */
    public long repository(long projectId, String name) {
        return insertId("INSERT INTO repositories (project_id, name) VALUES (?, ?) RETURNING id", projectId,
                projectName(projectId) + "/" + name);
    }

    /** A new blob of {@code size} random-ish bytes, stored and linked into the repository. */
    public Blob blob(long repositoryId, boolean pending, int size) {
        byte[] content = new byte[size];
        byte[] seed = (random() + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            content[i] = seed[i % seed.length];
        }
        String digest = sha256(content);
        UUID objectId = UUID.randomUUID();
        store.put(new ObjectId(objectId), content, content.length);
        update("INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?)", digest, objectId, (long) size);
        link(repositoryId, digest, pending);
        return new Blob(digest, objectId, size);
    }

    public void link(long repositoryId, String digest, boolean pending) {
        update("INSERT INTO repository_blobs (repository_id, digest, pending) VALUES (?, ?, ?)", repositoryId, digest,
                pending);
    }

    /**
     * A manifest of the repository referencing {@code blobs} and {@code children} (manifest
     * digests), with {@code subject} (or null) and {@code tag} (or null), pushed at
     * {@code pushedAt}; its blobs' links stop being pending, as a push makes them.
     */
    public Manifest manifest(long repositoryId, List<Blob> blobs, List<String> children, String subject, String tag,
            Instant pushedAt) {
        String content = "{\"schemaVersion\":2,\"nonce\":\"" + random() + System.nanoTime() + "\"}";
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = sha256(bytes);
        long total = bytes.length + blobs.stream().mapToLong(Blob::size).sum();
        long id = insertId("""
                INSERT INTO manifests (repository_id, digest, media_type, content, size, total_size, subject_digest, pushed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", repositoryId, digest,
                children.isEmpty() ? "application/vnd.oci.image.manifest.v1+json" : "application/vnd.oci.image.index.v1+json",
                bytes, (long) bytes.length, total, subject, Timestamp.from(pushedAt));
        for (Blob b : blobs) {
            update("INSERT INTO manifest_references (manifest_id, kind, digest) VALUES (?, 'blob', ?)", id, b.digest());
            update("UPDATE repository_blobs SET pending = false WHERE repository_id = ? AND digest = ?", repositoryId,
                    b.digest());
        }
        for (String child : children) {
            update("INSERT INTO manifest_references (manifest_id, kind, digest) VALUES (?, 'manifest', ?)", id, child);
        }
        if (tag != null) {
            update("INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, ?, ?)", repositoryId, tag, id);
        }
        return new Manifest(id, repositoryId, digest, bytes.length);
    }

    /** Tags the manifest {@code tag} in its repository, the tag pushed at {@code at} (as retention reads it). */
    public void tag(Manifest m, String tag, Instant at) {
        update("INSERT INTO tags (repository_id, name, manifest_id, updated_at) VALUES (?, ?, ?, ?)", m.repositoryId(),
                tag, m.id(), Timestamp.from(at));
    }

    /** Records a pull of the manifest at {@code at}. */
    public void pulled(Manifest m, Instant at) {
        update("UPDATE manifests SET last_pulled_at = ? WHERE id = ?", Timestamp.from(at), m.id());
    }

    /** Sets the project's tag immutability rules, e.g. {@code [{"repositories":"**","tags":"v*"}]}. */
    public void immutableTagRules(long projectId, String json) {
        update("UPDATE projects SET immutable_tag_rules = ?::jsonb WHERE id = ?", json, projectId);
    }

    /** The manifest's tags, sorted. */
    public List<String> tags(Manifest m) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT name FROM tags WHERE manifest_id = ? ORDER BY name")) {
            ps.setLong(1, m.id());
            List<String> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the manifest as registry-api's delete by digest does (its references and tags go with it). */
    public void deleteManifest(Manifest m) {
        update("DELETE FROM manifests WHERE id = ?", m.id());
    }

    /** Sets the project's recorded usage to what it holds, as registry-api keeps it. */
    public void settleUsage(long projectId) {
        update("""
                INSERT INTO project_usage (project_id, stored_bytes)
                SELECT project_id, stored_bytes FROM project_usage_actual WHERE project_id = ?
                ON CONFLICT (project_id) DO UPDATE SET stored_bytes = EXCLUDED.stored_bytes""", projectId);
    }

    public long usage(long projectId) {
        return number("SELECT coalesce((SELECT stored_bytes FROM project_usage WHERE project_id = ?), 0)", projectId);
    }

    public long actualUsage(long projectId) {
        return number("SELECT stored_bytes FROM project_usage_actual WHERE project_id = ?", projectId);
    }

    public boolean blobRow(Blob b) {
        return number("SELECT count(*) FROM blobs WHERE digest = ?", b.digest()) == 1;
    }

    public boolean linked(long repositoryId, Blob b) {
        return number("SELECT count(*) FROM repository_blobs WHERE repository_id = ? AND digest = ?", repositoryId,
                b.digest()) == 1;
    }

    public boolean manifestRow(Manifest m) {
        return number("SELECT count(*) FROM manifests WHERE id = ?", m.id()) == 1;
    }

    public boolean stored(UUID objectId) {
        try {
            store.size(new ObjectId(objectId));
            return true;
        } catch (BlobNotFoundException e) {
            return false;
        }
    }

    /** How many {@code artifact.deleted} events with {@code reason} name the digest in the outbox. */
    public long deletionEvents(String digest, String reason) {
        return number("""
                SELECT count(*) FROM outbox WHERE event_type = 'io.berth.artifact.deleted.v1'
                AND payload -> 'data' ->> 'digest' = ? AND payload -> 'data' ->> 'reason' = ?""", digest, reason);
    }

    /** The {@code data.actor} of the digest's {@code artifact.deleted} events with {@code reason}, or null. */
    public String deletionActor(String digest, String reason) {
        return text("""
                SELECT min(payload -> 'data' ->> 'actor') FROM outbox WHERE event_type = 'io.berth.artifact.deleted.v1'
                AND payload -> 'data' ->> 'digest' = ? AND payload -> 'data' ->> 'reason' = ?""", digest, reason);
    }

    /** The {@code source} of the digest's {@code artifact.deleted} events with {@code reason}, or null. */
    public String deletionSource(String digest, String reason) {
        return text("""
                SELECT min(payload ->> 'source') FROM outbox WHERE event_type = 'io.berth.artifact.deleted.v1'
                AND payload -> 'data' ->> 'digest' = ? AND payload -> 'data' ->> 'reason' = ?""", digest, reason);
    }

    /** Runs a statement of the test's own (ageing a mark, breaking the usage ...). */
    public int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long number(String sql, Object... args) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String text(String sql, Object... args) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private long insertId(String sql, Object... args) {
        return number(sql, args);
    }

    private static void bind(java.sql.PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
