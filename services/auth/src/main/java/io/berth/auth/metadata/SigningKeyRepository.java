package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@code signing_keys} table. Rotation runs under a transaction-scoped advisory lock, so of
 * two replicas that find a rotation due at once, the second sees the first one's new key and
 * leaves it be.
 */
@ApplicationScoped
public class SigningKeyRepository {

    /** pg_advisory_xact_lock key of key rotation: "berthkey" in ASCII. */
    private static final long ROTATION_LOCK = 0x626572_74686b6579L;

    /**
     * One row.
     *
     * @param sealedPrivateKey the PKCS#8 private key as stored (encrypted)
     * @param signsFrom when it starts signing (after it has been published for a while)
     * @param retiredAt when it stops signing, or null for the newest key
     * @param publishUntil until when the JWKS lists it, or null for the newest key
     */
    public record StoredKey(String kid, ECPublicKey publicKey, byte[] sealedPrivateKey, Instant createdAt,
            Instant signsFrom, Instant retiredAt, Instant publishUntil) {}

    private final DataSource db;

    public SigningKeyRepository(DataSource db) {
        this.db = db;
    }

    /** The key that signs at {@code now}, if there is one. */
    public Optional<StoredKey> signing(Instant now) {
        return query("""
                SELECT * FROM signing_keys WHERE signs_from <= ? AND (retired_at IS NULL OR retired_at > ?)
                ORDER BY signs_from DESC LIMIT 1""", Timestamp.from(now), Timestamp.from(now)).stream().findFirst();
    }

    /** The keys the JWKS lists at {@code now}: the current one and those still published. */
    public List<StoredKey> published(Instant now) {
        return query("SELECT * FROM signing_keys WHERE retired_at IS NULL OR publish_until > ? ORDER BY created_at DESC",
                Timestamp.from(now));
    }

    /**
     * Under the rotation lock: if {@code due} says the newest key (or its absence) needs
     * replacing, stores the key {@code make} returns to sign from {@code switchAt}, and retires
     * the newest key at that moment, published until {@code switchAt + publishAfterRetirement}.
     * With no key yet, the first one signs at once.
     *
     * @return the newest key afterwards (which may not sign yet)
     */
    public StoredKey rotate(Predicate<Optional<StoredKey>> due, Supplier<StoredKey> make, Instant switchAt,
            Duration publishAfterRetirement) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, ROTATION_LOCK);
                    lock.execute();
                }
                Optional<StoredKey> current;
                try (var ps = c.prepareStatement("SELECT * FROM signing_keys WHERE retired_at IS NULL")) {
                    current = read(ps).stream().findFirst();
                }
                if (!due.test(current)) {
                    c.commit();
                    return current.orElseThrow();
                }
                StoredKey next = make.get();
                Instant signsFrom = current.isPresent() ? switchAt : next.createdAt();
                if (current.isPresent()) {
                    try (var ps = c.prepareStatement(
                            "UPDATE signing_keys SET retired_at = ?, publish_until = ? WHERE kid = ?")) {
                        ps.setTimestamp(1, Timestamp.from(switchAt));
                        ps.setTimestamp(2, Timestamp.from(switchAt.plus(publishAfterRetirement)));
                        ps.setString(3, current.get().kid());
                        ps.executeUpdate();
                    }
                }
                try (var ps = c.prepareStatement(
                        "INSERT INTO signing_keys (kid, public_key, private_key, created_at, signs_from) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, next.kid());
                    ps.setBytes(2, next.publicKey().getEncoded());
                    ps.setBytes(3, next.sealedPrivateKey());
                    ps.setTimestamp(4, Timestamp.from(next.createdAt()));
                    ps.setTimestamp(5, Timestamp.from(signsFrom));
                    ps.executeUpdate();
                }
                next = new StoredKey(next.kid(), next.publicKey(), next.sealedPrivateKey(), next.createdAt(), signsFrom,
                        null, null);
                c.commit();
                return next;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not rotate the token signing key: " + e.getMessage(), e);
        }
    }

    private List<StoredKey> query(String sql, Timestamp... parameters) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setTimestamp(i + 1, parameters[i]);
            }
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the token signing keys: " + e.getMessage(), e);
        }
    }

    private static List<StoredKey> read(PreparedStatement ps) throws SQLException {
        List<StoredKey> keys = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(new StoredKey(rs.getString("kid"), publicKey(rs.getBytes("public_key")),
                        rs.getBytes("private_key"), instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("signs_from")), instant(rs.getTimestamp("retired_at")),
                        instant(rs.getTimestamp("publish_until"))));
            }
        }
        return keys;
    }

    private static ECPublicKey publicKey(byte[] x509) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored public signing key is not an EC key", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
