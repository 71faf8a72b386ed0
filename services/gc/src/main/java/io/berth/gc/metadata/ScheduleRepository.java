package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** The one cron schedule of full runs ({@code gc_schedule}, a single row). */
@ApplicationScoped
public class ScheduleRepository {

    /**
     * The schedule: a cron expression (null: none) and the options its runs take.
     *
     * @param graceSeconds null: the configured default
     * @param lastFiredAt when it last started a run (or tried to), null if never
     */
    public record Schedule(String cron, boolean dryRun, boolean deleteUntagged, Long graceSeconds, boolean orphans,
            Instant lastFiredAt, Instant updatedAt, String updatedBy) {}

    private final DataSource db;

    public ScheduleRepository(DataSource db) {
        this.db = db;
    }

    public Schedule get() {
        return Db.statements(db, "read the gc schedule", c -> {
            try (var ps = c.prepareStatement("""
                    SELECT cron, dry_run, delete_untagged, grace_seconds, last_fired_at, updated_at, updated_by, orphans
                    FROM gc_schedule WHERE id = 1"""); var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Schedule(null, false, false, null, false, null, null, null);
                }
                long grace = rs.getLong(4);
                Long graceSeconds = rs.wasNull() ? null : grace;
                return new Schedule(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), graceSeconds, rs.getBoolean(8),
                        RunRepository.instant(rs.getTimestamp(5)), RunRepository.instant(rs.getTimestamp(6)),
                        rs.getString(7));
            }
        });
    }

    /** Replaces the schedule; it fires next at the first time after now that its cron names. */
    public Schedule put(String cron, boolean dryRun, boolean deleteUntagged, Long graceSeconds, boolean orphans,
            String by) {
        Db.statements(db, "change the gc schedule", c -> {
            try (var ps = c.prepareStatement("""
                    INSERT INTO gc_schedule (id, cron, dry_run, delete_untagged, grace_seconds, orphans, last_fired_at,
                        updated_at, updated_by)
                    VALUES (1, ?, ?, ?, ?, ?, now(), now(), ?)
                    ON CONFLICT (id) DO UPDATE SET cron = EXCLUDED.cron, dry_run = EXCLUDED.dry_run,
                        delete_untagged = EXCLUDED.delete_untagged, grace_seconds = EXCLUDED.grace_seconds,
                        orphans = EXCLUDED.orphans, last_fired_at = now(), updated_at = now(),
                        updated_by = EXCLUDED.updated_by""")) {
                ps.setString(1, cron);
                ps.setBoolean(2, dryRun);
                ps.setBoolean(3, deleteUntagged);
                ps.setObject(4, graceSeconds);
                ps.setBoolean(5, orphans);
                ps.setString(6, by);
                return ps.executeUpdate();
            }
        });
        return get();
    }

    /**
     * Claims the firing at {@code due} for this replica: true for exactly one replica, the one
     * that moved {@code last_fired_at} from {@code seen} to {@code due}.
     */
    public boolean claim(Instant seen, Instant due) {
        return Db.statements(db, "claim a scheduled gc run", c -> {
            try (var ps = c.prepareStatement(
                    "UPDATE gc_schedule SET last_fired_at = ? WHERE id = 1 AND last_fired_at IS NOT DISTINCT FROM ?")) {
                ps.setTimestamp(1, Timestamp.from(due));
                ps.setTimestamp(2, seen == null ? null : Timestamp.from(seen));
                return ps.executeUpdate() == 1;
            }
        });
    }
}
