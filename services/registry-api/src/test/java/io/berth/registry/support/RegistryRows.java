package io.berth.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventType;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Direct access to berth_test for manifest tests: links blobs to a repository without pushing
 * bytes (the upload endpoints are not what these tests are about), and reads the outbox.
 */
public final class RegistryRows {

    // BERTH_TEST_JDBC_URL lets a run use its own schema (?currentSchema=...), as MigrationsTest does.
    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One outbox row: its event type (wire form) and its payload. */
    public record OutboxRow(String eventType, String topic, UUID eventId, JsonNode payload) {}

    private RegistryRows() {}

    /**
     * Makes a blob with {@code content} known and linked to {@code repository} (creating the
     * repository in its project if needed), as a finished upload would.
     *
     * @return its descriptor, with {@code mediaType}
     */
    public static Descriptor blob(String repository, String mediaType, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        try (Connection c = connect()) {
            try (var ps = c.prepareStatement("""
                    INSERT INTO repositories (project_id, name)
                    SELECT id, ? FROM projects WHERE name = ?
                    ON CONFLICT (name) DO NOTHING""")) {
                ps.setString(1, repository);
                ps.setString(2, repository.split("/")[0]);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    INSERT INTO blobs (digest, object_id, size) VALUES (?, ?, ?)
                    ON CONFLICT (digest) DO NOTHING""")) {
                ps.setString(1, digest.toString());
                ps.setObject(2, UUID.randomUUID());
                ps.setLong(3, bytes.length);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    INSERT INTO repository_blobs (repository_id, digest)
                    SELECT id, ? FROM repositories WHERE name = ?
                    ON CONFLICT DO NOTHING""")) {
                ps.setString(1, digest.toString());
                ps.setString(2, repository);
                if (ps.executeUpdate() == 0 && !linked(c, repository, digest)) {
                    throw new IllegalStateException("project of " + repository + " does not exist");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot link blob to " + repository, e);
        }
        return Descriptor.of(mediaType, digest, bytes.length);
    }

    /**
     * The outbox rows with {@code event_key} = {@code repository}, oldest first, except pull
     * events: a GET writes those later, in a batch (PullRecorder), so counting them here would
     * make every count racy. {@link #pullEvents} reads them.
     */
    public static List<OutboxRow> outbox(String repository) {
        return outbox(repository, "event_type <> ?");
    }

    /** The {@code artifact.pulled} outbox rows of {@code repository}, oldest first. */
    public static List<OutboxRow> pullEvents(String repository) {
        return outbox(repository, "event_type = ?");
    }

    private static List<OutboxRow> outbox(String repository, String pulledCondition) {
        try (Connection c = connect(); var ps = c.prepareStatement("""
                SELECT event_type, topic, event_id, payload::text FROM outbox
                WHERE event_key = ? AND %s ORDER BY id""".formatted(pulledCondition))) {
            ps.setString(1, repository);
            ps.setString(2, EventType.ARTIFACT_PULLED.wire());
            List<OutboxRow> rows = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getString(1), rs.getString(2),
                            (UUID) rs.getObject(3), JSON.readTree(rs.getString(4))));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read outbox", e);
        }
    }

    /** Runs a single-value query, e.g. a count; parameters are strings. */
    public static Object scalar(String sql, String... params) {
        try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private static boolean linked(Connection c, String repository, Digest digest) throws SQLException {
        try (var ps = c.prepareStatement("""
                SELECT 1 FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
                WHERE r.name = ? AND rb.digest = ?""")) {
            ps.setString(1, repository);
            ps.setString(2, digest.toString());
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "berth", "berth");
    }
}
