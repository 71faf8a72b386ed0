package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads auth's {@code system_settings} (one row); registry-api never writes it. */
@ApplicationScoped
public class SystemSettingsRepository {

    /**
     * What every replica polls each second.
     *
     * @param readOnly whether berth is read-only (docs/adr/0022)
     * @param pullGateVersion moves whenever what the pull gate enforces changes: a project's
     *     vulnerability policy, the system allowlist (V20's triggers)
     */
    public record Poll(boolean readOnly, long pullGateVersion) {}

    private final DataSource db;

    public SystemSettingsRepository(DataSource db) {
        this.db = db;
    }

    /**
     * The polled settings, in one indexed single-row query; not read-only and version 0 if the
     * row is missing.
     *
     * @throws MetadataUnavailableException if the database cannot be read
     */
    public Poll poll() {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT read_only, pull_gate_version FROM system_settings");
                var rs = ps.executeQuery()) {
            return rs.next() ? new Poll(rs.getBoolean(1), rs.getLong(2)) : new Poll(false, 0);
        } catch (SQLException e) {
            throw Sql.failure("read the system settings", e);
        }
    }

    /**
     * Whether berth is read-only; false if the row is missing.
     *
     * @throws MetadataUnavailableException if the database cannot be read
     */
    public boolean readOnly() {
        return poll().readOnly();
    }
}
