package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * {@code system_settings}, owned by auth: one row of registry-wide switches. registry-api reads
 * {@code read_only} from it every second (docs/adr/0022).
 */
@ApplicationScoped
public class SystemSettingsRepository {

    /**
     * The settings as the API shows them.
     *
     * @param updatedBy the system administrator who changed them last, or null
     */
    public record SystemSettings(boolean readOnly, Instant updatedAt, String updatedBy) {}

    private final DataSource db;

    public SystemSettingsRepository(DataSource db) {
        this.db = db;
    }

    /** The settings; the defaults if the row is missing (it is made by the migration). */
    public SystemSettings get() {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT read_only, updated_at, updated_by FROM system_settings");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new SystemSettings(rs.getBoolean(1), rs.getTimestamp(2).toInstant(), rs.getString(3))
                    : new SystemSettings(false, Instant.EPOCH, null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the system settings: " + e.getMessage(), e);
        }
    }

    /** Sets read-only mode on or off, recording who did it; joins the caller's transaction. */
    public void setReadOnly(boolean readOnly, String by) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO system_settings (id, read_only, updated_at, updated_by) VALUES (true, ?, now(), ?)
                ON CONFLICT (id) DO UPDATE SET read_only = EXCLUDED.read_only, updated_at = now(),
                    updated_by = EXCLUDED.updated_by""")) {
            ps.setBoolean(1, readOnly);
            ps.setString(2, by);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not change the system settings: " + e.getMessage(), e);
        }
    }
}
