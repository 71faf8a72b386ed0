package io.berth.gc.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Upload sessions ({@code uploads}, owned by registry-api) as gc purges them: those not written
 * to for the purge age, taken with {@code FOR UPDATE SKIP LOCKED} (a session a chunk is being
 * written to right now is skipped) and their age re-checked on the locked row, so a session a
 * client just wrote to is never purged.
 */
@ApplicationScoped
public class UploadRows {

    /** A purged (or, dry, purgeable) session and what it holds in the store. */
    public record Abandoned(UUID id, UUID objectId, String s3UploadId, long receivedBytes) {}

    private final DataSource db;

    public UploadRows(DataSource db) {
        this.db = db;
    }

    /** Deletes up to {@code limit} sessions idle for {@code maxAge}; their bytes are the caller's to remove. */
    public List<Abandoned> purge(Duration maxAge, int limit) {
        return Db.transaction(db, "purge upload sessions", c -> {
            List<Abandoned> gone = new ArrayList<>();
            try (var ps = c.prepareStatement("""
                    DELETE FROM uploads WHERE id IN (
                        SELECT id FROM uploads WHERE updated_at <= now() - make_interval(secs => ?)
                        ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    AND updated_at <= now() - make_interval(secs => ?)
                    RETURNING id, object_id, s3_upload_id, received_bytes""")) {
                ps.setDouble(1, maxAge.toMillis() / 1000.0);
                ps.setInt(2, limit);
                ps.setDouble(3, maxAge.toMillis() / 1000.0);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gone.add(new Abandoned(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getLong(4)));
                    }
                }
            }
            return gone;
        });
    }

    /** How many sessions, holding how many bytes, are idle for {@code maxAge} (for a dry run). */
    public long[] idle(Duration maxAge) {
        return Db.statements(db, "count idle upload sessions", c -> {
            try (var ps = c.prepareStatement("""
                    SELECT count(*), coalesce(sum(received_bytes), 0) FROM uploads
                    WHERE updated_at <= now() - make_interval(secs => ?)""")) {
                ps.setDouble(1, maxAge.toMillis() / 1000.0);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            }
        });
    }
}
