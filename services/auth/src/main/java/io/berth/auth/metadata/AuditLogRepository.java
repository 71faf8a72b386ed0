package io.berth.auth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** {@code audit_log}: one row per event id. */
@ApplicationScoped
public class AuditLogRepository {

    /** One audit entry. */
    public record Entry(long id, UUID eventId, String type, Instant occurredAt, String project, String actor,
            String clientIp, String subject, String data) {}

    /**
     * What to list; null fields do not filter.
     *
     * @param projects the projects the caller may see, or null for all (a system administrator)
     */
    public record Query(String project, String actor, String type, Instant from, Instant to,
            Collection<String> projects) {}

    /** A page of entries, newest first, and how many match in all. */
    public record Page(List<Entry> entries, long total) {}

    private final DataSource db;

    public AuditLogRepository(DataSource db) {
        this.db = db;
    }

    /** Records an event; false if an entry with its id exists (a redelivery). */
    public boolean insert(Entry e) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                INSERT INTO audit_log (event_id, event_type, occurred_at, project, actor, client_ip, subject, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING""")) {
            ps.setObject(1, e.eventId());
            ps.setString(2, e.type());
            ps.setTimestamp(3, Timestamp.from(e.occurredAt()));
            ps.setString(4, e.project());
            ps.setString(5, e.actor());
            ps.setString(6, e.clientIp());
            ps.setString(7, e.subject());
            ps.setString(8, e.data());
            return ps.executeUpdate() == 1;
        } catch (SQLException ex) {
            throw new IllegalStateException("could not record audit event " + e.eventId() + ": " + ex.getMessage(), ex);
        }
    }

    /** Entries matching {@code q}, newest first; {@code page} counts from 1. */
    public Page list(Query q, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.project() != null) {
            where.append(" AND project = ?");
            args.add(q.project());
        }
        if (q.projects() != null) {
            where.append(" AND project = ANY (?)");
            args.add(q.projects());
        }
        if (q.actor() != null) {
            where.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.type() != null) {
            where.append(" AND event_type = ?");
            args.add(q.type());
        }
        if (q.from() != null) {
            where.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND occurred_at < ?");
            args.add(Timestamp.from(q.to()));
        }
        try (Connection c = db.getConnection()) {
            long total;
            try (var ps = c.prepareStatement("SELECT count(*) FROM audit_log" + where)) {
                bind(c, ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Entry> entries = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    SELECT id, event_id, event_type, occurred_at, project, actor, client_ip, subject, data::text
                    FROM audit_log""" + where + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")) {
                List<Object> all = new ArrayList<>(args);
                all.add(pageSize);
                all.add((long) (page - 1) * pageSize);
                bind(c, ps, all);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getString(8), rs.getString(9)));
                    }
                }
            }
            return new Page(entries, total);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log: " + e.getMessage(), e);
        }
    }

    /** Deletes entries older than {@code keep}, at most {@code limit}; how many went. */
    public int purge(Duration keep, int limit) {
        try (Connection c = db.getConnection(); var ps = c.prepareStatement("""
                DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log
                WHERE occurred_at < now() - make_interval(secs => ?) LIMIT ?)""")) {
            ps.setDouble(1, keep.toMillis() / 1000.0);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not purge the audit log: " + e.getMessage(), e);
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Collection<?> many) {
                ps.setArray(i + 1, c.createArrayOf("text", many.toArray()));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }
}
