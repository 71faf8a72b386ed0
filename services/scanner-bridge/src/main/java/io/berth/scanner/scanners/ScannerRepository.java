package io.berth.scanner.scanners;

import io.berth.errors.ServiceUnavailableException;
import io.berth.scanner.adapter.AuthKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code scanners} and {@code project_scanners} rows (V18), read and written with plain JDBC.
 * A database that fails is {@link ServiceUnavailableException} (503); a name taken is
 * {@link NameTaken}.
 */
@ApplicationScoped
public class ScannerRepository {

    private static final String COLUMNS = "id, name, kind, url, auth_kind, auth_secret, insecure, disabled, is_default,"
            + " description, created_at, updated_at";

    /** The name of a new scanner is taken. */
    static final class NameTaken extends Exception {
        NameTaken() {
            super(null, null, false, false);
        }
    }

    private final DataSource db;

    public ScannerRepository(DataSource db) {
        this.db = db;
    }

    public List<ScannerRow> list() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM scanners ORDER BY name");
                ResultSet rs = s.executeQuery()) {
            List<ScannerRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw down(e);
        }
    }

    public Optional<ScannerRow> find(String name) {
        return one("SELECT " + COLUMNS + " FROM scanners WHERE name = ?", name);
    }

    /** The system default scanner (V18 makes the built-in one the default; there is at most one). */
    public Optional<ScannerRow> defaultScanner() {
        return one("SELECT " + COLUMNS + " FROM scanners WHERE is_default", null);
    }

    ScannerRow insert(String name, String url, AuthKind auth, byte[] sealed, boolean insecure, String description)
            throws NameTaken {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO scanners (name, kind, url, auth_kind, auth_secret, insecure, description)"
                + " VALUES (?, 'adapter', ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)) {
            s.setString(1, name);
            s.setString(2, url);
            s.setString(3, auth.wire());
            s.setBytes(4, sealed);
            s.setBoolean(5, insecure);
            s.setString(6, description);
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

    /** Writes every mutable column of {@code name}; empty if it is gone. */
    Optional<ScannerRow> update(String name, String url, AuthKind auth, byte[] sealed, boolean insecure, boolean disabled,
            String description) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE scanners SET url = ?, auth_kind = ?, auth_secret = ?, insecure = ?, disabled = ?, description = ?,"
                + " updated_at = now() WHERE name = ? RETURNING " + COLUMNS)) {
            s.setString(1, url);
            s.setString(2, auth.wire());
            s.setBytes(3, sealed);
            s.setBoolean(4, insecure);
            s.setBoolean(5, disabled);
            s.setString(6, description);
            s.setString(7, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** Deletes an adapter that is not the default (projects that chose it go back to the default); whether a row went. */
    boolean delete(String name) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM scanners WHERE name = ? AND kind = 'adapter' AND NOT is_default")) {
            s.setString(1, name);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** Makes {@code name} the one default, in one transaction; whether it exists and is enabled. */
    boolean makeDefault(String name) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM scanners WHERE name = ? AND NOT disabled FOR UPDATE");
                    PreparedStatement clear = c.prepareStatement(
                            "UPDATE scanners SET is_default = false, updated_at = now() WHERE is_default AND name <> ?");
                    PreparedStatement set = c.prepareStatement(
                            "UPDATE scanners SET is_default = true, updated_at = now() WHERE name = ? AND NOT is_default")) {
                lock.setString(1, name);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return false;
                    }
                }
                clear.setString(1, name);
                clear.executeUpdate();
                set.setString(1, name);
                set.executeUpdate();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The id of project {@code name}, if it exists. */
    public Optional<Long> projectId(String name) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** The scanner project {@code projectId} chose, if it chose one. */
    public Optional<ScannerRow> projectChoice(long projectId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT "
                + COLUMNS.replaceAll("(^|, )", "$1s.") + " FROM project_scanners p JOIN scanners s ON s.id = p.scanner_id"
                + " WHERE p.project_id = ?")) {
            s.setLong(1, projectId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    /** Records the project's choice; null goes back to the system default. */
    void choose(long projectId, Long scannerId) {
        String sql = scannerId == null ? "DELETE FROM project_scanners WHERE project_id = ?"
                : "INSERT INTO project_scanners (project_id, scanner_id) VALUES (?, ?) ON CONFLICT (project_id)"
                + " DO UPDATE SET scanner_id = EXCLUDED.scanner_id, updated_at = now()";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, projectId);
            if (scannerId != null) {
                s.setLong(2, scannerId);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private Optional<ScannerRow> one(String sql, String name) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (name != null) {
                s.setString(1, name);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw down(e);
        }
    }

    private static ScannerRow row(ResultSet rs) throws SQLException {
        return new ScannerRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                AuthKind.of(rs.getString(5)).orElse(AuthKind.NONE), rs.getBytes(6), rs.getBoolean(7), rs.getBoolean(8),
                rs.getBoolean(9), rs.getString(10), rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant());
    }

    private static ServiceUnavailableException down(SQLException e) {
        return new ServiceUnavailableException("the scanner registry cannot be read or written now", e);
    }
}
