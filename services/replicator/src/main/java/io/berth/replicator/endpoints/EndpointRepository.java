package io.berth.replicator.endpoints;

import io.berth.errors.ServiceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code replication_endpoints} rows (V23), read and written with plain JDBC. A database that
 * fails is {@link ServiceUnavailableException} (503); a name taken is {@link NameTaken}; an
 * endpoint that policies use is {@link InUse}.
 */
@ApplicationScoped
public class EndpointRepository {

    private static final String COLUMNS = "id, name, type, url, insecure, username, secret, description,"
            + " created_by, created_at, updated_by, updated_at";

    /** The name is another endpoint's. */
    static final class NameTaken extends Exception {
        private static final long serialVersionUID = 1L;

        NameTaken() {
            super(null, null, false, false);
        }
    }

    /** Replication policies use the endpoint (their foreign key is ON DELETE RESTRICT). */
    static final class InUse extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> policies;

        InUse(List<String> policies) {
            super(null, null, false, false);
            this.policies = List.copyOf(policies);
        }

        /** The policies' names; empty if the last of them went away meanwhile. */
        List<String> policies() {
            return policies;
        }
    }

    private final DataSource db;

    public EndpointRepository(DataSource db) {
        this.db = db;
    }

    public List<Endpoint> list() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM replication_endpoints ORDER BY name");
                ResultSet rs = s.executeQuery()) {
            List<Endpoint> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw down(e);
        }
    }

    public Optional<Endpoint> find(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM replication_endpoints WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    Endpoint insert(EndpointSpec spec, byte[] sealed, String by) throws NameTaken {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO replication_endpoints (name, type, url, insecure, credential_kind, username, secret,"
                + " description, created_by, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)) {
            int i = bind(s, spec, sealed);
            s.setString(i++, by);
            s.setString(i, by);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new NameTaken();
                }
                return row(rs);
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The row after the update, or empty if it was deleted meanwhile. */
    Optional<Endpoint> update(long id, EndpointSpec spec, byte[] sealed, String by) throws NameTaken {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE replication_endpoints SET name = ?, type = ?, url = ?, insecure = ?, credential_kind = ?,"
                + " username = ?, secret = ?, description = ?, updated_by = ?, updated_at = now() WHERE id = ?"
                + " RETURNING " + COLUMNS)) {
            int i = bind(s, spec, sealed);
            s.setString(i++, by);
            s.setLong(i, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new NameTaken();
            }
            throw down(e);
        }
    }

    /**
     * Whether there was such a row. The foreign key decides whether a policy uses it (no check
     * first that a policy created meanwhile could slip past); then the users are named, in the
     * same transaction as the refused delete.
     */
    boolean delete(long id) throws InUse {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM replication_endpoints WHERE id = ?");
                    PreparedStatement users = c.prepareStatement(
                            "SELECT name FROM replication_policies WHERE endpoint_id = ? ORDER BY name")) {
                Savepoint before = c.setSavepoint();
                delete.setLong(1, id);
                try {
                    boolean deleted = delete.executeUpdate() == 1;
                    c.commit();
                    return deleted;
                } catch (SQLException e) {
                    if (!"23503".equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(before);
                }
                users.setLong(1, id);
                List<String> names = new ArrayList<>();
                try (ResultSet rs = users.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                throw new InUse(names);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private static int bind(PreparedStatement s, EndpointSpec spec, byte[] sealed) throws SQLException {
        s.setString(1, spec.name());
        s.setString(2, spec.type().wire());
        s.setString(3, spec.url());
        s.setBoolean(4, spec.insecure());
        s.setString(5, spec.username() == null ? "none" : "basic");
        s.setString(6, spec.username());
        if (sealed == null) {
            s.setNull(7, Types.BINARY);
        } else {
            s.setBytes(7, sealed);
        }
        s.setString(8, spec.description());
        return 9;
    }

    private static Endpoint row(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getLong("id"), rs.getString("name"),
                EndpointType.fromWire(rs.getString("type")).orElseThrow(), rs.getString("url"), rs.getBoolean("insecure"),
                rs.getString("username"), rs.getBytes("secret"), rs.getString("description"), rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("updated_by"),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static ServiceUnavailableException down(SQLException e) {
        return new ServiceUnavailableException("the replication endpoints cannot be read or written now", e);
    }
}
