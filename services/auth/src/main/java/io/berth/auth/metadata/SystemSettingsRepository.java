package io.berth.auth.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.security.policy.AllowlistEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code system_settings}, owned by auth: one row of registry-wide settings. registry-api reads
 * {@code read_only} from it every second (docs/adr/0022), and the system vulnerability allowlist
 * whenever {@code pull_gate_version} moves (V20 bumps it with every change of the list).
 */
@ApplicationScoped
public class SystemSettingsRepository {

    /**
     * The settings as the API shows them.
     *
     * @param vulnerabilityAllowlist the system allowlist the pull gate applies to every project
     * @param updatedBy the system administrator who changed them last, or null
     */
    public record SystemSettings(boolean readOnly, List<AllowlistEntry> vulnerabilityAllowlist, Instant updatedAt,
            String updatedBy) {}

    private static final TypeReference<List<AllowlistEntry>> ALLOWLIST = new TypeReference<>() {};

    private final DataSource db;
    private final ObjectMapper json;

    public SystemSettingsRepository(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The settings; the defaults if the row is missing (it is made by the migration). */
    public SystemSettings get() {
        try (Connection c = db.getConnection();
                var ps = c.prepareStatement(
                        "SELECT read_only, vulnerability_allowlist::text, updated_at, updated_by FROM system_settings");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new SystemSettings(false, List.of(), Instant.EPOCH, null);
            }
            return new SystemSettings(rs.getBoolean(1), json.readValue(rs.getString(2), ALLOWLIST),
                    rs.getTimestamp(3).toInstant(), rs.getString(4));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the system settings: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the settings that are not null, recording who did it; joins the caller's transaction.
     */
    public void update(Boolean readOnly, List<AllowlistEntry> allowlist, String by) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO system_settings (id, read_only, vulnerability_allowlist, updated_at, updated_by)
                VALUES (true, coalesce(?, false), coalesce(?::jsonb, '[]'), now(), ?)
                ON CONFLICT (id) DO UPDATE SET
                    read_only = coalesce(?, system_settings.read_only),
                    vulnerability_allowlist = coalesce(?::jsonb, system_settings.vulnerability_allowlist),
                    updated_at = now(), updated_by = EXCLUDED.updated_by""")) {
            String list = allowlist == null ? null : json.writeValueAsString(allowlist);
            ps.setObject(1, readOnly, Types.BOOLEAN);
            ps.setString(2, list);
            ps.setString(3, by);
            ps.setObject(4, readOnly, Types.BOOLEAN);
            ps.setString(5, list);
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not change the system settings: " + e.getMessage(), e);
        }
    }
}
