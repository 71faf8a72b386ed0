package io.berth.registry;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.flywaydb.core.Flyway;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service starts on a schema that another, newer service has already migrated further (a
 * rolling upgrade; ADR 0005): a migration in the history that this build does not know is not
 * an error. Before the app starts, a made-up V9999 is recorded as applied; it is removed after.
 */
@QuarkusTest
@TestProfile(FutureMigrationTest.WithAFutureMigration.class)
class FutureMigrationTest {

    public static class WithAFutureMigration implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FutureMigration.class));
        }
    }

    /** Records V9999 as applied before the app starts (after migrating to what this build has). */
    public static class FutureMigration implements QuarkusTestResourceLifecycleManager {
        private static final String DB = System.getenv()
                .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

        @Override
        public Map<String, String> start() {
            // Whatever ran before, the schema is first where this build takes it.
            Flyway.configure().dataSource(DB, "berth", "berth").locations("classpath:db/migration").load().migrate();
            run("DELETE FROM flyway_schema_history WHERE installed_rank = 9999");
            run("INSERT INTO flyway_schema_history VALUES (9999, '9999', 'future', 'SQL', 'V9999__future.sql', 1,"
                    + " 'berth', now(), 1, true)");
            return Map.of();
        }

        @Override
        public void stop() {
            run("DELETE FROM flyway_schema_history WHERE installed_rank = 9999");
        }

        private static void run(String sql) {
            try (var c = DriverManager.getConnection(DB, "berth", "berth"); var s = c.createStatement()) {
                s.executeUpdate(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }
    }

    @Test
    void theServiceStartsAndIsReady() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
