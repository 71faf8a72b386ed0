package io.berth.scanner.vulndb;

import io.berth.errors.ServiceUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code vuln_imports} rows. {@link #start} and {@link #fail} commit on their own connection
 * (the row must outlive a rolled-back import); {@link #finish} writes in the import's transaction,
 * so the counts and the data commit together.
 */
final class ImportLog {

    private static final String COLUMNS = "id, source, kind, full_export, status, requested_by, started_at, finished_at,"
            + " records, added, updated, unchanged, withdrawn, ecosystems, error";

    private final DataSource db;

    ImportLog(DataSource db) {
        this.db = db;
    }

    /** Fails the rows of imports whose replica died; call only while holding the import lock. */
    void failAbandoned() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE vuln_imports SET status = 'failed', finished_at = clock_timestamp(),
                    error = 'the replica running it stopped before it finished; nothing of it was committed'
                WHERE status = 'running'
                """)) {
            s.executeUpdate();
        }
    }

    long start(String source, String kind, boolean full, String requestedBy) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO vuln_imports (source, kind, full_export, status, requested_by)
                VALUES (?, ?, ?, 'running', ?) RETURNING id
                """)) {
            s.setString(1, source);
            s.setString(2, kind);
            s.setBoolean(3, full);
            s.setString(4, requestedBy);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void finish(Connection c, long id, ImportCounts n) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE vuln_imports SET status = 'succeeded', finished_at = clock_timestamp(), records = ?, added = ?, updated = ?,
                    unchanged = ?, withdrawn = ?, ecosystems = ? WHERE id = ?
                """)) {
            set(c, s, n);
            s.setLong(7, id);
            s.executeUpdate();
        }
    }

    /** Best effort: the import already failed; a database that refuses this too is only logged by the caller. */
    void fail(long id, ImportCounts n, String error) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE vuln_imports SET status = 'failed', finished_at = clock_timestamp(), records = ?, added = 0, updated = 0,
                    unchanged = 0, withdrawn = 0, ecosystems = ?, error = ? WHERE id = ?
                """)) {
            s.setLong(1, n.records);
            s.setArray(2, c.createArrayOf("text", n.ecosystems.toArray()));
            s.setString(3, error.length() > 2000 ? error.substring(0, 2000) : error);
            s.setLong(4, id);
            s.executeUpdate();
        } catch (SQLException e) {
            org.jboss.logging.Logger.getLogger(ImportLog.class).warnf("import %d failed (%s) and its row could not say so: %s",
                    id, error, e.getMessage());
        }
    }

    private static void set(Connection c, PreparedStatement s, ImportCounts n) throws SQLException {
        s.setLong(1, n.records);
        s.setLong(2, n.added);
        s.setLong(3, n.updated);
        s.setLong(4, n.unchanged);
        s.setLong(5, n.withdrawn);
        s.setArray(6, c.createArrayOf("text", n.ecosystems.toArray()));
    }

    Optional<ImportRun> get(long id) {
        List<ImportRun> runs = query("SELECT " + COLUMNS + " FROM vuln_imports WHERE id = " + id);
        return runs.stream().findFirst();
    }

    /** The newest import, then the newest that succeeded (the same row when the newest succeeded). */
    List<ImportRun> last() {
        return query("(SELECT " + COLUMNS + " FROM vuln_imports ORDER BY id DESC LIMIT 1) UNION ALL (SELECT " + COLUMNS
                + " FROM vuln_imports WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1)");
    }

    private List<ImportRun> query(String sql) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            List<ImportRun> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ImportRun(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                        rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), rs.getLong(9),
                        rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                        VulnerabilityDb.strings(rs.getArray(14)), rs.getString(15)));
            }
            return out;
        } catch (SQLException e) {
            throw new ServiceUnavailableException("could not read the vulnerability database's imports: " + e.getMessage(), e);
        }
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
