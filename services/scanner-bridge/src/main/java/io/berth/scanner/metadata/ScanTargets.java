package io.berth.scanner.metadata;

import io.berth.errors.ServiceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a scan API path names: the project, the repository, the artifact (by digest or tag) and
 * the scanner that applies to it (the project's choice in {@code project_scanners}, else the
 * system default), in one indexed statement. Read-only: these tables are registry-api's and
 * auth's.
 */
@ApplicationScoped
public class ScanTargets {

    private static final String BY = """
            SELECT p.id, r.id, m.id, m.digest, m.media_type, m.artifact_type,
                s.id, s.name, s.disabled
            FROM projects p
            LEFT JOIN repositories r ON r.project_id = p.id AND r.name = ?
            %s
            LEFT JOIN project_scanners ps ON ps.project_id = p.id
            LEFT JOIN scanners s ON s.id = coalesce(ps.scanner_id, (SELECT id FROM scanners WHERE is_default))
            WHERE p.name = ?""";
    private static final String BY_DIGEST = BY.formatted(
            "LEFT JOIN manifests m ON m.repository_id = r.id AND m.digest = ?");
    private static final String BY_TAG = BY.formatted("""
            LEFT JOIN tags t ON t.repository_id = r.id AND t.name = ?
            LEFT JOIN manifests m ON m.id = t.manifest_id""");

    private final DataSource db;

    public ScanTargets(DataSource db) {
        this.db = db;
    }

    /** A scanner: its row id, name and whether an administrator disabled it. */
    public record Scanner(long id, String name, boolean disabled) {}

    /**
     * What the path found; a missing part and everything after it are null.
     *
     * @param repositoryId null if the project has no such repository
     * @param artifact null if the repository has no such digest or tag
     * @param scanner the scanner that applies to the project, null if none does (no default)
     */
    public record Target(long projectId, Long repositoryId, Artifact artifact, Scanner scanner) {}

    /** A manifest: its id, digest, media type and effective artifact type (null for an index without one). */
    public record Artifact(long id, String digest, String mediaType, String artifactType) {}

    /**
     * Looks the path up; empty if the project does not exist.
     *
     * @param repository the full repository name, project included
     * @param reference a digest when {@code byDigest}, else a tag
     */
    public Optional<Target> find(String project, String repository, String reference, boolean byDigest) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(byDigest ? BY_DIGEST : BY_TAG)) {
            ps.setString(1, repository);
            ps.setString(2, reference);
            ps.setString(3, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Long repositoryId = rs.getObject(2) == null ? null : rs.getLong(2);
                Artifact artifact = rs.getObject(3) == null ? null
                        : new Artifact(rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6));
                Scanner scanner = rs.getObject(7) == null ? null
                        : new Scanner(rs.getLong(7), rs.getString(8), rs.getBoolean(9));
                return Optional.of(new Target(rs.getLong(1), repositoryId, artifact, scanner));
            }
        } catch (SQLException e) {
            throw failure("look up an artifact", e);
        }
    }

    /** The project's id, if it exists. */
    public Optional<Long> projectId(String project) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up a project", e);
        }
    }

    /** The scanner registered as {@code name}, if any. */
    public Optional<Scanner> scanner(String name) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name, disabled FROM scanners WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Scanner(rs.getLong(1), rs.getString(2), rs.getBoolean(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("look up a scanner", e);
        }
    }

    static ServiceUnavailableException failure(String what, SQLException e) {
        return new ServiceUnavailableException("could not " + what + ": " + e.getMessage(), e);
    }
}
