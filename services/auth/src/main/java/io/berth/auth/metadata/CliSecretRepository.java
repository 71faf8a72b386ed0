package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code cli_secrets}: one bcrypt-hashed CLI secret per Keycloak user. */
@ApplicationScoped
public class CliSecretRepository {

    /** A user's CLI secret as stored; {@code lastUsedAt} is null until its first use. */
    public record StoredSecret(String username, String secretHash, Instant createdAt, Instant lastUsedAt) {}

    private final DataSource db;

    public CliSecretRepository(DataSource db) {
        this.db = db;
    }

    public Optional<StoredSecret> find(String username) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT username, secret_hash, created_at, last_used_at FROM cli_secrets WHERE username = ?")) {
            ps.setString(1, username);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp used = rs.getTimestamp(4);
                return Optional.of(new StoredSecret(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        used == null ? null : used.toInstant()));
            }
        } catch (SQLException e) {
            throw failure("read the CLI secret of " + username, e);
        }
    }

    /** Stores a user's secret, replacing the one they had; true if there was one. */
    public boolean replace(String username, String secretHash) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO cli_secrets AS s (username, secret_hash) VALUES (?, ?)
                ON CONFLICT (username) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, created_at = now(),
                    last_used_at = NULL
                RETURNING (xmax <> 0)""")) {
            ps.setString(1, username);
            ps.setString(2, secretHash);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failure("store the CLI secret of " + username, e);
        }
    }

    /** Deletes a user's secret; false if they had none. */
    public boolean delete(String username) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM cli_secrets WHERE username = ?")) {
            ps.setString(1, username);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("delete the CLI secret of " + username, e);
        }
    }

    /** Notes that the secret with this hash was just used (a secret replaced meanwhile is left alone). */
    public void touch(String username, String secretHash) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(
                "UPDATE cli_secrets SET last_used_at = now() WHERE username = ? AND secret_hash = ?")) {
            ps.setString(1, username);
            ps.setString(2, secretHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("note the use of the CLI secret of " + username, e);
        }
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
}
