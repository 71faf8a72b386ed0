package io.berth.registry.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the pull gate enforces, read from auth's tables: the vulnerability policies of the
 * projects that prevent pulls, and the system allowlist. Read only when
 * {@code system_settings.pull_gate_version} moved, never on a request.
 */
@ApplicationScoped
public class PullGatePolicyRepository {

    /**
     * The gate's settings as stored, at {@code version}.
     *
     * @param projectPolicies project name to its {@code vulnerability_policy} JSON, only projects with
     *     {@code "preventPull": true}
     * @param systemAllowlist the system allowlist JSON
     */
    public record Stored(long version, Map<String, String> projectPolicies, String systemAllowlist) {}

    private final DataSource db;

    public PullGatePolicyRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Everything, the version first: a change committed while this reads moves the version past
     * the one returned, so the next poll reads again.
     *
     * @throws MetadataUnavailableException if the database cannot be read
     */
    public Stored load() {
        try (Connection c = db.getConnection()) {
            long version = 0;
            String allowlist = "[]";
            try (var ps = c.prepareStatement(
                    "SELECT pull_gate_version, vulnerability_allowlist::text FROM system_settings");
                    var rs = ps.executeQuery()) {
                if (rs.next()) {
                    version = rs.getLong(1);
                    allowlist = rs.getString(2);
                }
            }
            Map<String, String> policies = new LinkedHashMap<>();
            // The partial index projects_prevent_pull (V20) holds exactly these rows.
            try (var ps = c.prepareStatement("""
                    SELECT name, vulnerability_policy::text FROM projects
                    WHERE vulnerability_policy @> '{"preventPull": true}'""");
                    var rs = ps.executeQuery()) {
                while (rs.next()) {
                    policies.put(rs.getString(1), rs.getString(2));
                }
            }
            return new Stored(version, policies, allowlist);
        } catch (SQLException e) {
            throw Sql.failure("read the pull gate's policies", e);
        }
    }
}
