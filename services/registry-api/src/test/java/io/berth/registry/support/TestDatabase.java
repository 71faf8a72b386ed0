package io.berth.registry.support;

import java.sql.DriverManager;
import java.sql.SQLException;

/** Reads the test database (berth_test) directly, to check what the API wrote. */
public final class TestDatabase {

    // BERTH_TEST_JDBC_URL lets a run use its own schema (?currentSchema=...), as MigrationsTest does.
    private static final String URL = System.getenv()
            .getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");

    private TestDatabase() {}

    /** The first column of the first row of {@code sql}, or null when there is no row. */
    public static Object queryOne(String sql, Object... args) {
        try (var c = DriverManager.getConnection(URL, "berth", "berth"); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** {@link #queryOne} as a number. */
    public static long queryLong(String sql, Object... args) {
        Object value = queryOne(sql, args);
        return value == null ? -1 : ((Number) value).longValue();
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
    public static int update(String sql, Object... args) {
        try (var c = DriverManager.getConnection(URL, "berth", "berth"); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql, e);
        }
    }
}
