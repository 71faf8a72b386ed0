package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The history of runs ({@code gc_runs}), their logs ({@code gc_run_log}) and the schedule
 * ({@code gc_schedule}). One run at a time is the database's rule (a unique index over running
 * rows), so it holds across replicas; a run whose replica stopped sending heartbeats is failed by
 * whoever next tries to start one.
 */
@ApplicationScoped
public class RunRepository {

    private static final String COLUMNS = """
            id, trigger, status, dry_run, delete_untagged, grace_seconds, orphans, requested_by, started_at, ended_at,
            manifests_deleted, links_deleted, blobs_deleted, objects_deleted, bytes_freed, error""";

    private final DataSource db;

    public RunRepository(DataSource db) {
        this.db = db;
    }

    /**
     * Starts a run unless one is running: first fails a running run whose heartbeat is older than
     * {@code staleAfter} (its replica died), then inserts.
     *
     * @return the new run, or empty if another is running (then {@link #running} names it)
     */
    public Optional<GcRun> start(GcRun.Options options, Duration staleAfter) {
        return Db.transaction(db, "start a gc run", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE gc_runs SET status = 'failed', ended_at = now(),
                        error = 'the replica running it stopped answering; the next run finishes its work'
                    WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => ?)""")) {
                ps.setDouble(1, staleAfter.toMillis() / 1000.0);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    INSERT INTO gc_runs (trigger, status, dry_run, delete_untagged, grace_seconds, orphans, requested_by)
                    VALUES (?, 'running', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING\s""" + COLUMNS)) {
                ps.setString(1, options.trigger());
                ps.setBoolean(2, options.dryRun());
                ps.setBoolean(3, options.deleteUntagged());
                ps.setLong(4, options.graceSeconds());
                ps.setBoolean(5, options.orphans());
                ps.setString(6, options.requestedBy());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<GcRun>empty();
                }
            }
        });
    }

    /** The run now running, if any. */
    public Optional<GcRun> running() {
        return one("SELECT " + COLUMNS + " FROM gc_runs WHERE status = 'running'", null);
    }

    public Optional<GcRun> find(long id) {
        return one("SELECT " + COLUMNS + " FROM gc_runs WHERE id = ?", id);
    }

    /** One page of the history, newest first, and the total. */
    public Page page(int page, int pageSize) {
        return Db.statements(db, "list gc runs", c -> {
            List<GcRun> runs = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM gc_runs ORDER BY id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, pageSize);
                ps.setLong(2, (long) (page - 1) * pageSize);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.add(run(rs));
                    }
                }
            }
            try (var ps = c.prepareStatement("SELECT count(*) FROM gc_runs"); var rs = ps.executeQuery()) {
                rs.next();
                return new Page(runs, rs.getLong(1));
            }
        });
    }

    /** A page of runs and how many there are in all. */
    public record Page(List<GcRun> runs, long total) {}

    /**
     * Records that run {@code id} is alive and what it has done so far.
     *
     * @return whether a stop was asked for; empty if the run is no longer running (another
     *     replica failed it as stale), in which case the caller must stop at once
     */
    public Optional<Boolean> heartbeat(long id, GcRun.Counts counts) {
        return Db.statements(db, "record a gc heartbeat", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE gc_runs SET heartbeat_at = now(), manifests_deleted = ?, links_deleted = ?,
                        blobs_deleted = ?, objects_deleted = ?, bytes_freed = ?
                    WHERE id = ? AND status = 'running' RETURNING stop_requested""")) {
                setCounts(ps, counts, 1);
                ps.setLong(6, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.<Boolean>empty();
                }
            }
        });
    }

    /** Ends run {@code id} with {@code status} (succeeded, failed, stopped). */
    public void finish(long id, String status, GcRun.Counts counts, String error) {
        Db.statements(db, "finish a gc run", c -> {
            try (var ps = c.prepareStatement("""
                    UPDATE gc_runs SET status = ?, ended_at = now(), heartbeat_at = now(), manifests_deleted = ?,
                        links_deleted = ?, blobs_deleted = ?, objects_deleted = ?, bytes_freed = ?, error = ?
                    WHERE id = ? AND status = 'running'""")) {
                ps.setString(1, status);
                setCounts(ps, counts, 2);
                ps.setString(7, error);
                ps.setLong(8, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Asks running run {@code id} to stop; its runner sees it at its next heartbeat.
     *
     * @return false if the run is not running
     */
    public boolean requestStop(long id) {
        return Db.statements(db, "stop a gc run", c -> {
            try (var ps = c.prepareStatement(
                    "UPDATE gc_runs SET stop_requested = true WHERE id = ? AND status = 'running'")) {
                ps.setLong(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Appends line {@code seq} (from 1) to the log of run {@code id}. */
    public void log(long id, int seq, String line) {
        Db.statements(db, "write a gc log line", c -> {
            try (var ps = c.prepareStatement("INSERT INTO gc_run_log (run_id, seq, line) VALUES (?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setInt(2, seq);
                ps.setString(3, line);
                return ps.executeUpdate();
            }
        });
    }

    /** The log of run {@code id}, one line per entry: time, then the line. */
    public List<String> logLines(long id) {
        return Db.statements(db, "read a gc log", c -> {
            List<String> lines = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT at, line FROM gc_run_log WHERE run_id = ? ORDER BY seq")) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getTimestamp(1).toInstant() + " " + rs.getString(2));
                    }
                }
            }
            return lines;
        });
    }

    private Optional<GcRun> one(String sql, Long id) {
        return Db.statements(db, "read a gc run", c -> {
            try (var ps = c.prepareStatement(sql)) {
                if (id != null) {
                    ps.setLong(1, id);
                }
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<GcRun>empty();
                }
            }
        });
    }

    private static void setCounts(java.sql.PreparedStatement ps, GcRun.Counts n, int from) throws SQLException {
        ps.setLong(from, n.manifestsDeleted());
        ps.setLong(from + 1, n.linksDeleted());
        ps.setLong(from + 2, n.blobsDeleted());
        ps.setLong(from + 3, n.objectsDeleted());
        ps.setLong(from + 4, n.bytesFreed());
    }

    private static GcRun run(ResultSet rs) throws SQLException {
        return new GcRun(rs.getLong("id"), rs.getString("trigger"), rs.getString("status"), rs.getBoolean("dry_run"),
                rs.getBoolean("delete_untagged"), rs.getLong("grace_seconds"), rs.getBoolean("orphans"),
                rs.getString("requested_by"),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")),
                new GcRun.Counts(rs.getLong("manifests_deleted"), rs.getLong("links_deleted"),
                        rs.getLong("blobs_deleted"), rs.getLong("objects_deleted"), rs.getLong("bytes_freed")),
                rs.getString("error"));
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
