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
 * fails is {@link ServiceUnavailableException} (503).
 */
@ApplicationScoped
public class PolicyRepository {

    static final String COLUMNS = "id, name, description, enabled, direction, endpoint_id, filters::text, dest_namespace,"
            + " flatten, overwrite, replicate_deletion, trigger_type, cron, speed_kib, created_by, created_at,"
            + " updated_by, updated_at";

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
