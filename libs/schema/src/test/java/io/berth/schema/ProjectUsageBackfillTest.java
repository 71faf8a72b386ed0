package io.berth.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V10 counts the usage of projects that already hold data (docs/adr/0021): a schema at V9 gets
 * rows as registry-api wrote them before quotas, then V10 runs. A layer two repositories of
 * one project share counts once there and once more in another project; each distinct manifest
 * counts once; a link no manifest references counts (it may be an upload in flight).
 */
class ProjectUsageBackfillTest {

    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

    private final String schema = "backfill_test_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void dropSchema() throws Exception {
        try (var c = DriverManager.getConnection(URL, "berth", "berth"); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(URL, "berth", "berth").schemas(schema).createSchemas(true)
                .locations("classpath:db/migration").target(MigrationVersion.fromVersion(target)).load();
    }

    @Test
    void existingDataIsCountedWhenTheMigrationRuns() throws Exception {
        flyway("9").migrate();
        try (Connection c = DriverManager.getConnection(URL, "berth", "berth"); var s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            s.execute("INSERT INTO projects (id, name) VALUES (1, 'team'), (2, 'other'), (3, 'empty')");
            s.execute("INSERT INTO repositories (id, project_id, name) VALUES"
                    + " (10, 1, 'team/a'), (11, 1, 'team/b'), (20, 2, 'other/a')");
            s.execute("INSERT INTO blobs (digest, object_id, size) VALUES"
                    + " ('sha256:layer', gen_random_uuid(), 1000), ('sha256:config', gen_random_uuid(), 10),"
                    + " ('sha256:loose', gen_random_uuid(), 7)");
            s.execute("INSERT INTO repository_blobs (repository_id, digest) VALUES"
                    + " (10, 'sha256:layer'), (10, 'sha256:config'), (11, 'sha256:layer'), (11, 'sha256:loose'),"
                    + " (20, 'sha256:layer')");
            s.execute("INSERT INTO manifests (id, repository_id, digest, media_type, content, size, total_size) VALUES"
                    + " (100, 10, 'sha256:m1', 'x', '\\x00', 100, 1110), (101, 11, 'sha256:m1', 'x', '\\x00', 100, 1100),"
                    + " (200, 20, 'sha256:m2', 'x', '\\x00', 50, 1050)");
            s.execute("INSERT INTO manifest_references (manifest_id, kind, digest) VALUES"
                    + " (100, 'blob', 'sha256:layer'), (100, 'blob', 'sha256:config'), (101, 'blob', 'sha256:layer'),"
                    + " (200, 'blob', 'sha256:layer')");
        }
        flyway("10").migrate();
        try (Connection c = DriverManager.getConnection(URL, "berth", "berth"); var s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            // team: layer 1000 + config 10 + loose 7 + manifest m1 once (100).
            assertEquals(1117, usage(c, 1));
            // other: layer 1000 + m2 50.
            assertEquals(1050, usage(c, 2));
            assertEquals(0, usage(c, 3));
            try (var rs = s.executeQuery("SELECT count(*) FROM repository_blobs WHERE pending")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "only the loose blob is pending");
            }
        }
    }

    private static long usage(Connection c, long project) throws Exception {
        try (var ps = c.prepareStatement("SELECT stored_bytes FROM project_usage WHERE project_id = ?")) {
            ps.setLong(1, project);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
