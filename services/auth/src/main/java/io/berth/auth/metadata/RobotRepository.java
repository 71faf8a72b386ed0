package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** {@code robots} and {@code robot_permissions}. */
@ApplicationScoped
public class RobotRepository {

    /**
     * A robot as stored.
     *
     * @param permissions project name to the scope actions the robot has there
     * @param expiresAt null when it never expires
     */
    public record StoredRobot(long id, String name, String secretHash, Instant expiresAt, boolean disabled,
            Map<String, Set<String>> permissions) {}

    private final DataSource db;

    public RobotRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Records a robot and its permissions; the caller runs this in a transaction
     * ({@code @Transactional}), so a missing project leaves nothing behind.
     *
     * @param ownerProject the project of a project robot, or null for a system robot
     * @param permissions project name to actions; every project must exist
     * @return false if a robot of that name exists already (nothing is written then)
     * @throws IllegalArgumentException if a project in {@code permissions} does not exist
     */
    public boolean create(String name, String ownerProject, String secretHash, Instant expiresAt,
            Map<String, Set<String>> permissions) {
        try (Connection c = db.getConnection()) {
            long id;
            try (var ps = c.prepareStatement("""
                    INSERT INTO robots (name, project_id, secret_hash, expires_at)
                    VALUES (?, (SELECT id FROM projects WHERE name = ?), ?, ?)
                    ON CONFLICT (name) DO NOTHING RETURNING id""")) {
                ps.setString(1, name);
                ps.setString(2, ownerProject);
                ps.setString(3, secretHash);
                ps.setTimestamp(4, expiresAt == null ? null : Timestamp.from(expiresAt));
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    id = rs.getLong(1);
                }
            }
            for (var grant : permissions.entrySet()) {
                try (var ps = c.prepareStatement("""
                        INSERT INTO robot_permissions (robot_id, project_id, actions)
                        SELECT ?, id, ? FROM projects WHERE name = ?""")) {
                    ps.setLong(1, id);
                    ps.setArray(2, c.createArrayOf("text", grant.getValue().toArray()));
                    ps.setString(3, grant.getKey());
                    if (ps.executeUpdate() != 1) {
                        // Thrown inside the caller's transaction, which then writes nothing.
                        throw new IllegalArgumentException("project " + grant.getKey() + " does not exist");
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create robot " + name + ": " + e.getMessage(), e);
        }
    }

    /** The robot with this full name, with its permissions. */
    public Optional<StoredRobot> find(String name) {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT r.id, r.secret_hash, r.expires_at, r.disabled, p.name, rp.actions
                        FROM robots r
                        LEFT JOIN robot_permissions rp ON rp.robot_id = r.id
                        LEFT JOIN projects p ON p.id = rp.project_id
                        WHERE r.name = ?""")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                StoredRobot robot = null;
                Map<String, Set<String>> permissions = new LinkedHashMap<>();
                while (rs.next()) {
                    if (robot == null) {
                        Timestamp expires = rs.getTimestamp(3);
                        robot = new StoredRobot(rs.getLong(1), name, rs.getString(2),
                                expires == null ? null : expires.toInstant(), rs.getBoolean(4), permissions);
                    }
                    String project = rs.getString(5);
                    Array actions = rs.getArray(6);
                    if (project != null && actions != null) {
                        permissions.put(project, new LinkedHashSet<>(Arrays.asList((String[]) actions.getArray())));
                    }
                }
                return Optional.ofNullable(robot);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read robot " + name + ": " + e.getMessage(), e);
        }
    }

    /** Sets the robot's secret hash; false if there is no such robot. */
    public boolean updateSecret(String name, String secretHash) {
        return update("UPDATE robots SET secret_hash = ?, updated_at = now() WHERE name = ?", secretHash, name);
    }

    /** Disables or enables the robot; false if there is no such robot. */
    public boolean setDisabled(String name, boolean disabled) {
        return update("UPDATE robots SET disabled = ?::boolean, updated_at = now() WHERE name = ?",
                Boolean.toString(disabled), name);
    }

    private boolean update(String sql, String value, String name) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not update robot " + name + ": " + e.getMessage(), e);
        }
    }

    /** One robot for a listing: no secret, not even its hash. */
    public record RobotSummary(String name, Instant expiresAt, boolean disabled, Instant createdAt,
            Map<String, Set<String>> permissions) {}

    /**
     * The robots of project {@code project} ({@code robot$<project>+...}), or the system robots
     * when {@code project} is null; by name.
     */
    public java.util.List<RobotSummary> list(String project) {
        String where = project == null ? "r.project_id IS NULL" : "r.project_id = (SELECT id FROM projects WHERE name = ?)";
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("""
                        SELECT r.name, r.expires_at, r.disabled, r.created_at, p.name, rp.actions
                        FROM robots r
                        LEFT JOIN robot_permissions rp ON rp.robot_id = r.id
                        LEFT JOIN projects p ON p.id = rp.project_id
                        WHERE %s ORDER BY r.name, p.name""".formatted(where))) {
            if (project != null) {
                ps.setString(1, project);
            }
            Map<String, RobotSummary> robots = new LinkedHashMap<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    Timestamp expires = rs.getTimestamp(2);
                    RobotSummary r = robots.computeIfAbsent(name, n -> {
                        try {
                            return new RobotSummary(n, expires == null ? null : expires.toInstant(), rs.getBoolean(3),
                                    rs.getTimestamp(4).toInstant(), new LinkedHashMap<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    Array actions = rs.getArray(6);
                    if (rs.getString(5) != null && actions != null) {
                        r.permissions().put(rs.getString(5), new LinkedHashSet<>(Arrays.asList((String[]) actions.getArray())));
                    }
                }
            }
            return java.util.List.copyOf(robots.values());
        } catch (SQLException e) {
            throw new IllegalStateException("could not list robots: " + e.getMessage(), e);
        }
    }

    /** Deletes the robot; false if there is no such robot. */
    public boolean delete(String name) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM robots WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete robot " + name + ": " + e.getMessage(), e);
        }
    }
}
