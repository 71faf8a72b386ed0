package io.berth.scanner.flow;

import io.berth.scanner.inventory.TestLayers;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Registry state as registry-api leaves it after a push, in scanner-bridge's test schema: projects
 * (with their vulnerability policy), repositories, blobs whose bytes are in the real object store
 * (the test bucket), and manifests with their references. Names are unique per call; every project
 * is named {@code flow-...}, so {@link #cleanUp()} removes what earlier runs left.
 */
final class ScanFixture {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    /** A stored blob. */
    record Blob(String digest, String mediaType, long size) {}

    /** A stored manifest. */
    record Manifest(long id, long repositoryId, String repository, String digest) {}

    /** A project and one repository of it. */
    record Repo(long projectId, long id, String name) {}

    private final DataSource db;
    private final BlobStore store;

    ScanFixture(DataSource db, BlobStore store) {
        this.db = db;
        this.store = store;
    }

    /** Removes the projects (and by cascade repositories, manifests, jobs, reports) of earlier runs, and their events. */
    void cleanUp() {
        update("DELETE FROM projects WHERE name LIKE 'flow-%'");
        update("DELETE FROM outbox WHERE event_type LIKE 'io.berth.scan.%'");
    }

    /** A new project with {@code scanOnPush} and a repository {@code app} in it. */
    Repo repo(boolean scanOnPush) {
        String project = "flow-" + random();
        long projectId = number("INSERT INTO projects (name, vulnerability_policy) VALUES (?, ?::jsonb) RETURNING id",
                project, "{\"scanOnPush\": " + scanOnPush + "}");
        String name = project + "/app";
        long id = number("INSERT INTO repositories (project_id, name) VALUES (?, ?) RETURNING id", projectId, name);
        return new Repo(projectId, id, name);
    }

    /** {@code content} stored in the object store and as a blob of the repository. */
    Blob blob(Repo repo, byte[] content, String mediaType) {
        String digest = sha256(content);
        if (number("SELECT count(*) FROM blobs WHERE digest = ?", digest) == 0) {
            UUID objectId = UUID.randomUUID();
            store.put(new ObjectId(objectId), content, content.length);
            update("INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", digest, objectId,
                    (long) content.length);
        }
        update("INSERT INTO repository_blobs (repository_id, digest, pending) VALUES (?, ?, false) ON CONFLICT DO NOTHING",
                repo.id(), digest);
        return new Blob(digest, mediaType, content.length);
    }

    /** A blob row whose object is not in the store (a store that lost it). */
    Blob lostBlob(Repo repo, String mediaType) {
        byte[] content = ("lost " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String digest = sha256(content);
        update("INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?)", digest, UUID.randomUUID(),
                (long) content.length);
        update("INSERT INTO repository_blobs (repository_id, digest, pending) VALUES (?, ?, false)", repo.id(), digest);
        return new Blob(digest, mediaType, content.length);
    }

    /** An OCI image of {@code layers} (base first), with a config of its own. */
    Manifest image(Repo repo, Blob... layers) {
        return image(repo, OCI_CONFIG, layers);
    }

    /** An OCI manifest whose config has {@code configType} (an artifact, when it is not an image's). */
    Manifest image(Repo repo, String configType, Blob... layers) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + random() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return imageOf(repo, blob(repo, config, configType), layers);
    }

    /** An OCI manifest of {@code config} and {@code layers}. */
    Manifest imageOf(Repo repo, Blob c, Blob... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":")
                .append(descriptor(c)).append(",\"layers\":[");
        List<String> refs = new ArrayList<>();
        refs.add(c.digest());
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(layers[i]));
            refs.add(layers[i].digest());
        }
        json.append("]}");
        return manifest(repo, json.toString(), OCI_MANIFEST, refs, "blob");
    }

    /** A Helm chart pushed as an OCI artifact: a manifest whose one layer is the chart, not a filesystem. */
    Manifest helmChart(Repo repo) {
        Blob chart = blob(repo, TestLayers.compress(TestLayers.tar()
                .file("mychart/Chart.yaml", "name: mychart\n").bytes(), TestLayers.Compression.GZIP),
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
        return image(repo, "application/vnd.cncf.helm.config.v1+json", chart);
    }

    /** An OCI index of {@code children}. */
    Manifest index(Repo repo, Manifest... children) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < children.length; i++) {
            long size = number("SELECT size FROM manifests WHERE id = ?", children[i].id());
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"")
                    .append(children[i].digest()).append("\",\"size\":").append(size)
                    .append(",\"platform\":{\"architecture\":\"arch").append(i).append("\",\"os\":\"linux\"}}");
            refs.add(children[i].digest());
        }
        json.append("]}");
        return manifest(repo, json.toString(), OCI_INDEX, refs, "manifest");
    }

    private Manifest manifest(Repo repo, String json, String mediaType, List<String> refs, String kind) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = sha256(bytes);
        long id = number("""
                INSERT INTO manifests (repository_id, digest, media_type, content, size, total_size)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING id""", repo.id(), digest, mediaType, bytes, (long) bytes.length,
                (long) bytes.length);
        for (String r : refs) {
            update("INSERT INTO manifest_references (manifest_id, kind, digest) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    id, kind, r);
        }
        return new Manifest(id, repo.id(), repo.name(), digest);
    }

    private static String descriptor(Blob b) {
        return "{\"mediaType\":\"" + b.mediaType() + "\",\"digest\":\"" + b.digest() + "\",\"size\":" + b.size() + "}";
    }

    /** The id of the scanner named {@code name}. */
    long scanner(String name) {
        return number("SELECT id FROM scanners WHERE name = ?", name);
    }

    /** Queues a job as the scan API does (a plain INSERT). */
    long enqueue(Manifest m, long scannerId, String trigger, int priority) {
        return number("INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, priority) VALUES (?, ?, ?, ?) RETURNING id",
                m.id(), scannerId, trigger, priority);
    }

    /** The exact bytes of manifest {@code m}, as stored. */
    byte[] content(Manifest m) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT content FROM manifests WHERE id = ?")) {
            ps.setLong(1, m.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of the one row {@code sql} selects, by name; empty when there is none. */
    Map<String, Object> row(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Object> out = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        out.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i) == null ? null : rs.getString(i));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Waits up to {@code seconds} for {@code sql} to select a row whose first column is {@code expected}. */
    Map<String, Object> await(int seconds, String expected, String sql, Object... args) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<String, Object> row = row(sql, args);
        while (!(row.size() > 0 && expected.equals(row.values().iterator().next())) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            row = row(sql, args);
        }
        return row;
    }

    int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    long number(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
