package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code refresh_tokens}: the SHA-256 of each refresh token, with its account and expiry. */
@ApplicationScoped
public class RefreshTokenRepository {

    private final DataSource db;

    public RefreshTokenRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Stores a new token of {@code account}, and forgets that account's expired tokens and those
     * beyond its newest {@code keep}.
     */
    public void add(byte[] tokenHash, String account, Instant expiresAt, int keep) {
        try (Connection c = db.getConnection()) {
            try (var ps = c.prepareStatement("INSERT INTO refresh_tokens (token_hash, account, expires_at) VALUES (?, ?, ?)")) {
                ps.setBytes(1, tokenHash);
                ps.setString(2, account);
                ps.setTimestamp(3, Timestamp.from(expiresAt));
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    DELETE FROM refresh_tokens WHERE account = ? AND (expires_at <= now() OR token_hash IN (
                        SELECT token_hash FROM refresh_tokens WHERE account = ?
                        ORDER BY created_at DESC, token_hash OFFSET ?))""")) {
                ps.setString(1, account);
                ps.setString(2, account);
                ps.setInt(3, keep);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure("store a refresh token of " + account, e);
        }
    }

    /** The account of an unexpired token with this hash, noting its use; empty for any other. */
    public Optional<String> use(byte[] tokenHash) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                UPDATE refresh_tokens SET last_used_at = now()
                WHERE token_hash = ? AND expires_at > now() RETURNING account""")) {
            ps.setBytes(1, tokenHash);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read a refresh token", e);
        }
    }

    /** Revokes every token of {@code account}; how many there were. */
    public int deleteAll(String account) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("DELETE FROM refresh_tokens WHERE account = ?")) {
            ps.setString(1, account);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("revoke the refresh tokens of " + account, e);
        }
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
}
