package io.berth.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Applies every migration to an empty schema of the real local PostgreSQL (database
 * berth_test, started by ./berth test), so a broken migration fails here before a service
 * meets it at start.
 */
class MigrationsTest {

    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");
    private static final String USER = "berth";
    private static final String PASSWORD = "berth";

    private final String schema = "migrations_test_" + UUID.randomUUID().toString().replace("-", "");

    private Flyway flyway;

    @BeforeEach
    void setUp() {
        flyway = Flyway.configure()
                .dataSource(URL, USER, PASSWORD)
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load();
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (var c = DriverManager.getConnection(URL, USER, PASSWORD); var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void allMigrationsApplyToAnEmptySchemaAndValidate() {
        var result = flyway.migrate();
        assertTrue(result.success);
        assertTrue(result.migrationsExecuted >= 1, "no migration ran");
        flyway.validate();
        // A second run finds nothing to do: migrations are recorded, not re-applied.
        assertEquals(0, flyway.migrate().migrationsExecuted);
    }

    @Test
    void everyTableNamesTheServiceThatOwnsIt() throws Exception {
        assertTrue(flyway.migrate().success);
        String sql = """
                SELECT c.relname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'
                  AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'owner: %'
                """;
        try (var c = DriverManager.getConnection(URL, USER, PASSWORD); var ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            var unowned = new java.util.ArrayList<String>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    unowned.add(rs.getString(1));
                }
            }
            assertTrue(unowned.isEmpty(), "tables without COMMENT ON TABLE ... IS 'owner: <service>': " + unowned);
        }
    }

    @Test
    void migrationsAreVersionedWithoutGaps() {
        var applied = flyway.migrate();
        assertTrue(applied.success);
        // The schema-creation marker Flyway records first has no version; skip it.
        var versioned = java.util.Arrays.stream(flyway.info().applied())
                .filter(i -> i.getVersion() != null)
                .toList();
        assertTrue(!versioned.isEmpty());
        for (int i = 0; i < versioned.size(); i++) {
            assertEquals(String.valueOf(i + 1), versioned.get(i).getVersion().getVersion(),
                    "migration " + versioned.get(i).getScript() + " breaks the V1, V2, ... sequence");
        }
    }
}
