package io.berth.registry.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Creates projects directly in the test database (berth_test): projects belong to auth, whose
 * API does not exist yet for registry-api's tests. Every test takes a fresh, unique project so
 * tests never see each other's repositories.
 */
public final class TestProjects {

    // BERTH_TEST_JDBC_URL lets a run use its own schema (?currentSchema=...), as MigrationsTest does.
    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

    private TestProjects() {}

    /** A new project named {@code <prefix>-<random>}; returns its name. */
    public static String create(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = DriverManager.getConnection(URL, "berth", "berth");
                var ps = c.prepareStatement("INSERT INTO projects (name) VALUES (?)")) {
            ps.setString(1, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test project " + name, e);
        }
        return name;
    }

    /** Sets the project's quota (null: none), as auth's API would. */
    public static void quota(String project, Long bytes) {
        update(project, "quota_bytes = ?", bytes);
    }

    /** Sets the project's immutability rules, a JSON array, as auth's API would. */
    public static void immutableTagRules(String project, String rulesJson) {
        update(project, "immutable_tag_rules = ?::jsonb", rulesJson);
    }

    /** Sets {@code assignment} (one {@code ?}) on the project's row, as auth's API or an operator would. */
    public static void update(String project, String assignment, Object value) {
        try (var c = DriverManager.getConnection(URL, "berth", "berth");
                var ps = c.prepareStatement("UPDATE projects SET " + assignment + " WHERE name = ?")) {
            ps.setObject(1, value);
            ps.setString(2, project);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no project " + project);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change test project " + project, e);
        }
    }
}
