package io.berth.replicator.policy;

import io.berth.errors.ServiceUnavailableException;
import io.berth.replicator.policy.Policy.Direction;
import io.berth.replicator.policy.Policy.TriggerType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code replication_policies} rows (V24), read and written with plain JDBC. A database that
 * fails is {@link ServiceUnavailableException} (503); a name taken is {@link NameTaken}, an
 * endpoint deleted meanwhile {@link EndpointGone}. Each write is one statement, so nothing is
 * half-written.
 */
@ApplicationScoped
public class PolicyRepository {

    static final String COLUMNS = "id, name, description, enabled, direction, endpoint_id, filters::text, dest_namespace,"
            + " flatten, overwrite, replicate_deletion, trigger_type, cron, speed_kib, created_by, created_at,"
            + " updated_by, updated_at";

    /** The name is another policy's. */
    public static final class NameTaken extends Exception {
        private static final long serialVersionUID = 1L;

        NameTaken() {
            super(null, null, false, false);
        }
    }

    /** The policy's endpoint no longer exists (deleted between the check and the write). */
    public static final class EndpointGone extends Exception {
        private static final long serialVersionUID = 1L;

        EndpointGone() {
            super(null, null, false, false);
        }
    }

    private final DataSource db;

    public PolicyRepository(DataSource db) {
        this.db = db;
    }

    public List<Policy> list() {
        return query("SELECT " + COLUMNS + " FROM replication_policies ORDER BY name", null);
    }

    public Optional<Policy> find(long id) {
        return query("SELECT " + COLUMNS + " FROM replication_policies WHERE id = ?", id).stream().findFirst();
    }

    /** The policy named {@code name}, if there is one. */
    public Optional<Policy> findByName(String name) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM replication_policies WHERE name = ?")) {
            s.setString(1, name);
            return rows(s).stream().findFirst();
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The names of the policies that use endpoint {@code endpointId}, by name. */
    public List<String> namesUsing(long endpointId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT name FROM replication_policies WHERE endpoint_id = ? ORDER BY name")) {
            s.setLong(1, endpointId);
            try (ResultSet rs = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** Stores {@code spec} (its id and audit fields are ignored) as a new policy. */
    public Policy insert(Policy spec, String by) throws NameTaken, EndpointGone {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO replication_policies (name, description, enabled, direction, endpoint_id, filters,"
                + " dest_namespace, flatten, overwrite, replicate_deletion, trigger_type, cron, speed_kib, created_by,"
                + " updated_by) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            int i = bind(s, spec);
            s.setString(i++, by);
            s.setString(i, by);
            return rows(s).get(0);
        } catch (SQLException e) {
            throw refusal(e);
        }
    }

    /**
     * Changes policy {@code id} to {@code spec}; a schedule's bookkeeping ({@code last_fired_at})
     * starts anew when the cron expression changes.
     *
     * @return the row after the update, or empty if it was deleted meanwhile
     */
    public Optional<Policy> update(long id, Policy spec, String by) throws NameTaken, EndpointGone {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE replication_policies SET name = ?, description = ?, enabled = ?, direction = ?, endpoint_id = ?,"
                + " filters = ?::jsonb, dest_namespace = ?, flatten = ?, overwrite = ?, replicate_deletion = ?,"
                + " trigger_type = ?, last_fired_at = CASE WHEN cron IS NOT DISTINCT FROM ? THEN last_fired_at END,"
                + " cron = ?, speed_kib = ?, updated_by = ?, updated_at = now() WHERE id = ? RETURNING " + COLUMNS)) {
            int i = bind(s, spec);
            // bind() set cron at 12 and speed_kib at 13; this statement has the cron twice.
            s.setString(12, spec.cron());
            s.setString(13, spec.cron());
            s.setInt(14, spec.speedKib());
            s.setString(15, by);
            s.setLong(16, id);
            return rows(s).stream().findFirst();
        } catch (SQLException e) {
            throw refusal(e);
        }
    }

    /** Deletes policy {@code id} and, by cascade, its executions and their tasks; whether there was one. */
    public boolean delete(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM replication_policies WHERE id = ?")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private static int bind(PreparedStatement s, Policy p) throws SQLException {
        s.setString(1, p.name());
        s.setString(2, p.description());
        s.setBoolean(3, p.enabled());
        s.setString(4, p.direction().wire());
        s.setLong(5, p.endpointId());
        s.setString(6, FiltersJson.write(p.filters()).toString());
        s.setString(7, p.destNamespace());
        s.setInt(8, p.flatten());
        s.setBoolean(9, p.overwrite());
        s.setBoolean(10, p.replicateDeletion());
        s.setString(11, p.trigger().wire());
        s.setString(12, p.cron());
        s.setInt(13, p.speedKib());
        return 14;
    }

    /** A unique violation is the name, a foreign-key violation the endpoint; anything else is the database. */
    private static ServiceUnavailableException refusal(SQLException e) throws NameTaken, EndpointGone {
        if ("23505".equals(e.getSQLState())) {
            throw new NameTaken();
        }
        if ("23503".equals(e.getSQLState())) {
            throw new EndpointGone();
        }
        return down(e);
    }

    /** The enabled policies with this trigger. */
    public List<Policy> enabled(TriggerType trigger) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM replication_policies WHERE enabled AND trigger_type = ? ORDER BY id")) {
            s.setString(1, trigger.wire());
            return rows(s);
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private List<Policy> query(String sql, Long id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setLong(1, id);
            }
            return rows(s);
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private static List<Policy> rows(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<Policy> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        }
    }

    static Policy row(ResultSet rs) throws SQLException {
        String trigger = rs.getString(12);
        TriggerType type = switch (trigger) {
            case "manual" -> TriggerType.MANUAL;
            case "scheduled" -> TriggerType.SCHEDULED;
            default -> TriggerType.EVENT_BASED;
        };
        return new Policy(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                Direction.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), rs.getLong(6),
                FiltersJson.read(rs.getString(7)), rs.getString(8), rs.getInt(9), rs.getBoolean(10),
                rs.getBoolean(11), type, rs.getString(13), rs.getInt(14), rs.getString(15),
                rs.getTimestamp(16).toInstant(), rs.getString(17), rs.getTimestamp(18).toInstant());
    }

    static ServiceUnavailableException down(SQLException e) {
        return new ServiceUnavailableException("the database cannot be reached: " + e.getMessage(), e);
    }
}
