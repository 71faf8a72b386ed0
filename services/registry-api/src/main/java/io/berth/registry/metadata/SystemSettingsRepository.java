package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads auth's {@code system_settings} (one row); registry-api never writes it. */
@ApplicationScoped
public class SystemSettingsRepository {

    private final DataSource db;

    public SystemSettingsRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Whether berth is read-only; false if the row is missing.
     *
     * @throws MetadataUnavailableException if the database cannot be read
     */
    public boolean readOnly() {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement("SELECT read_only FROM system_settings");
                var rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw Sql.failure("read the system settings", e);
        }
    }
}
