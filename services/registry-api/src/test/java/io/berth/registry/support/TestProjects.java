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

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/berth_test";

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
}
