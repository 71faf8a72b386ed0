package io.berth.scanner.vulndb;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * Writes one import's records inside its transaction (on the connection it is given): a record
 * whose {@code modified} is what is stored is left as it is ("unchanged"); a changed one replaces
 * the stored one with its affected rows; every record read is remembered in a temporary table, so
 * that a full export can withdraw what it no longer holds ({@link #withdrawAbsent}).
 */
final class AdvisoryWriter implements AutoCloseable {

    private static final String UPSERT = """
            INSERT INTO vuln_advisories (id, aliases, upstream, summary, details, severity, cvss_vector, cvss_score,
                severities, published, modified, withdrawn_at, "references", ecosystems, import_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (id) DO UPDATE SET aliases = excluded.aliases, upstream = excluded.upstream,
                summary = excluded.summary, details = excluded.details, severity = excluded.severity,
                cvss_vector = excluded.cvss_vector, cvss_score = excluded.cvss_score, severities = excluded.severities,
                published = excluded.published, modified = excluded.modified, withdrawn_at = excluded.withdrawn_at,
                "references" = excluded."references", ecosystems = excluded.ecosystems, import_id = excluded.import_id
            """;
    private static final String AFFECTED = """
            INSERT INTO vuln_affected (advisory_id, seq, ecosystem, release, name, purl, ranges, versions, severity)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            """;

    private final Connection c;
    private final ObjectMapper json;
    private final long importId;
    private final ImportCounts counts;
    private final PreparedStatement stored;
    private final PreparedStatement upsert;
    private final PreparedStatement clear;
    private final PreparedStatement affected;
    private final PreparedStatement seen;
    private int seenPending;

    AdvisoryWriter(Connection c, ObjectMapper json, long importId, ImportCounts counts) throws SQLException {
        this.c = c;
        this.json = json;
        this.importId = importId;
        this.counts = counts;
        try (var s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE vuln_import_seen (id text PRIMARY KEY) ON COMMIT DROP");
        }
        stored = c.prepareStatement("SELECT modified, withdrawn_at FROM vuln_advisories WHERE id = ?");
        upsert = c.prepareStatement(UPSERT);
        clear = c.prepareStatement("DELETE FROM vuln_affected WHERE advisory_id = ?");
        affected = c.prepareStatement(AFFECTED);
        seen = c.prepareStatement("INSERT INTO vuln_import_seen (id) VALUES (?) ON CONFLICT DO NOTHING");
    }

    /** Adds, replaces or leaves one record, and counts which. */
    void write(OsvRecord r) throws SQLException {
        counts.records++;
        counts.ecosystems.addAll(r.ecosystems());
        seen.setString(1, r.id());
        seen.addBatch();
        if (++seenPending >= 500) {
            seen.executeBatch();
            seenPending = 0;
        }
        stored.setString(1, r.id());
        Instant modified = null;
        boolean exists = false;
        boolean wasWithdrawn = false;
        try (ResultSet rs = stored.executeQuery()) {
            if (rs.next()) {
                exists = true;
                modified = rs.getTimestamp(1).toInstant();
                wasWithdrawn = rs.getTimestamp(2) != null;
            }
        }
        if (exists && Objects.equals(modified, r.modified())) {
            counts.unchanged++;
            return;
        }
        replace(r);
        if (!exists) {
            counts.added++;
        } else if (r.withdrawn() != null && !wasWithdrawn) {
            counts.withdrawn++;
        } else {
            counts.updated++;
        }
    }

    private void replace(OsvRecord r) throws SQLException {
        int k = 1;
        upsert.setString(k++, r.id());
        upsert.setArray(k++, c.createArrayOf("text", r.aliases().toArray()));
        upsert.setArray(k++, c.createArrayOf("text", r.upstream().toArray()));
        upsert.setString(k++, r.summary());
        upsert.setString(k++, r.details());
        upsert.setString(k++, r.severity().name());
        upsert.setString(k++, r.cvssVector());
        if (r.cvssScore() == null) {
            upsert.setNull(k++, Types.NUMERIC);
        } else {
            upsert.setDouble(k++, r.cvssScore());
        }
        upsert.setString(k++, r.severities().toString());
        upsert.setTimestamp(k++, time(r.published()));
        upsert.setTimestamp(k++, time(r.modified()));
        upsert.setTimestamp(k++, time(r.withdrawn()));
        upsert.setString(k++, r.references().toString());
        upsert.setArray(k++, c.createArrayOf("text", r.ecosystems().toArray()));
        upsert.setLong(k, importId);
        upsert.executeUpdate();
        clear.setString(1, r.id());
        clear.executeUpdate();
        int seq = 0;
        for (OsvAffected a : r.affected()) {
            affected.setString(1, r.id());
            affected.setInt(2, seq++);
            affected.setString(3, a.ecosystem());
            affected.setString(4, a.release());
            affected.setString(5, a.name());
            affected.setString(6, a.purl());
            affected.setString(7, RangesJson.write(json, a.ranges()));
            affected.setArray(8, c.createArrayOf("text", a.versions().toArray()));
            affected.setString(9, a.severity() == null ? null : a.severity().name());
            affected.addBatch();
        }
        if (seq > 0) {
            affected.executeBatch();
        }
    }

    /**
     * The end of a full export of {@code covered} ecosystems: the affected rows of those
     * ecosystems whose records it did not hold are removed, and a record left with none is
     * deleted and counted as withdrawn (one that also affects another ecosystem stays, for that
     * ecosystem's export to speak for).
     */
    void withdrawAbsent(Collection<String> covered) throws SQLException {
        if (seenPending > 0) {
            seen.executeBatch();
            seenPending = 0;
        }
        if (covered.isEmpty()) {
            return;
        }
        java.sql.Array ecosystems = c.createArrayOf("text", covered.toArray());
        try (PreparedStatement rows = c.prepareStatement("""
                DELETE FROM vuln_affected a WHERE a.ecosystem = ANY (?)
                  AND NOT EXISTS (SELECT 1 FROM vuln_import_seen s WHERE s.id = a.advisory_id)
                """)) {
            rows.setArray(1, ecosystems);
            rows.executeUpdate();
        }
        try (PreparedStatement gone = c.prepareStatement("""
                DELETE FROM vuln_advisories v WHERE v.ecosystems && ?
                  AND NOT EXISTS (SELECT 1 FROM vuln_import_seen s WHERE s.id = v.id)
                  AND NOT EXISTS (SELECT 1 FROM vuln_affected a WHERE a.advisory_id = v.id)
                """)) {
            gone.setArray(1, ecosystems);
            counts.withdrawn += gone.executeUpdate();
        }
        try (PreparedStatement rest = c.prepareStatement("""
                UPDATE vuln_advisories v SET ecosystems = coalesce((SELECT array_agg(DISTINCT a.ecosystem)
                    FROM vuln_affected a WHERE a.advisory_id = v.id), '{}')
                WHERE v.ecosystems && ? AND NOT EXISTS (SELECT 1 FROM vuln_import_seen s WHERE s.id = v.id)
                """)) {
            rest.setArray(1, ecosystems);
            rest.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {stored, upsert, clear, affected, seen}) {
            s.close();
        }
    }

    private static Timestamp time(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }
}
