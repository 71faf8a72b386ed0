package io.berth.scanner.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Rows the scan API reads, written straight into the test schema (scan_test): projects,
 * repositories, manifests and tags as registry-api and auth would hold them, and the scanners,
 * jobs, reports, findings and manifest_scans rows the workers would write. Every name is unique
 * per call, so tests never see each other's rows except through deliberately global calls
 * (scan-all, an administrator's search).
 */
public final class ScanRows {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String CYCLONEDX = "application/vnd.cyclonedx+json";

    private final DataSource db;
    private final List<Long> projects = new ArrayList<>();
    private final List<Long> scanners = new ArrayList<>();

    public ScanRows(DataSource db) {
        this.db = db;
    }

    /**
     * Deletes the projects and scanners this instance made, and with them (ON DELETE CASCADE)
     * their repositories, manifests, jobs, reports and findings: a worker's tests in the same
     * schema must not find this test's queued jobs.
     */
    public void cleanUp() {
        for (long p : projects) {
            update("DELETE FROM projects WHERE id = ?", p);
        }
        for (long s : scanners) {
            update("DELETE FROM scanners WHERE id = ?", s);
        }
        projects.clear();
        scanners.clear();
    }

    /** A name no other test uses: {@code prefix} and random letters. */
    public static String unique(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);
    }

    /** The sha256 digest of {@code seed}. */
    public static String digest(String seed) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public long project(String name) {
        long id = id("INSERT INTO projects (name) VALUES (?) RETURNING id", name);
        projects.add(id);
        return id;
    }

    /** A repository; {@code fullName} includes the project. */
    public long repository(long projectId, String fullName) {
        return id("INSERT INTO repositories (project_id, name) VALUES (?, ?) RETURNING id", projectId, fullName);
    }

    /** An image manifest with digest {@code digest}; its id. */
    public long image(long repositoryId, String digest) {
        return manifest(repositoryId, digest, OCI_MANIFEST, OCI_CONFIG);
    }

    public long manifest(long repositoryId, String digest, String mediaType, String artifactType) {
        return id("""
                INSERT INTO manifests (repository_id, digest, media_type, artifact_type, content, size, total_size)
                VALUES (?, ?, ?, ?, '\\x7b7d'::bytea, 2, 2) RETURNING id""", repositoryId, digest, mediaType, artifactType);
    }

    public void tag(long repositoryId, String name, long manifestId) {
        update("INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, ?, ?)", repositoryId, name, manifestId);
    }

    /** The built-in scanner's id (the default, from V18). */
    public long builtin() {
        return id("SELECT id FROM scanners WHERE name = 'berth'");
    }

    /** An adapter scanner, enabled or not. */
    public long scanner(String name, boolean disabled) {
        long id = id("INSERT INTO scanners (name, kind, url, disabled) VALUES (?, 'adapter', 'http://127.0.0.1:1', ?) RETURNING id",
                name, disabled);
        scanners.add(id);
        return id;
    }

    public void projectScanner(long projectId, long scannerId) {
        update("INSERT INTO project_scanners (project_id, scanner_id) VALUES (?, ?)", projectId, scannerId);
    }

    public long job(long manifestId, long scannerId, String status, String error) {
        return id("INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, status, error) VALUES (?, ?, 'push', ?, ?) RETURNING id",
                manifestId, scannerId, status, error);
    }

    public long vulnImport(String source) {
        return id("""
                INSERT INTO vuln_imports (source, kind, full_export, status, finished_at)
                VALUES (?, 'zip', true, 'succeeded', now()) RETURNING id""", source);
    }

    /** A report; {@code importId} may be null. */
    public void report(long manifestId, long scannerId, String status, Long importId, String summary,
            String vulnerabilities, String sbom, String error) {
        update("""
                INSERT INTO scan_reports (manifest_id, scanner_id, status, vulndb_import_id, summary, vulnerabilities, sbom, error)
                VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)""",
                manifestId, scannerId, status, importId, summary, vulnerabilities, sbom, error);
    }

    public void finding(long manifestId, long scannerId, String advisoryId, String[] ids, String severity, String pkg) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO scan_findings (manifest_id, scanner_id, advisory_id, ids, severity, package)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, manifestId);
            ps.setLong(2, scannerId);
            ps.setString(3, advisoryId);
            ps.setArray(4, c.createArrayOf("text", ids));
            ps.setString(5, severity);
            ps.setString(6, pkg);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A single value, e.g. a count or a status. */
    public Object scalar(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long id(String sql, Object... args) {
        return ((Number) scalar(sql, args)).longValue();
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
