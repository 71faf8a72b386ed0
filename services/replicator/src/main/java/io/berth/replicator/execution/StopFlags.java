package io.berth.replicator.execution;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Whether an execution was asked to stop, as a running copy asks between blobs and chunks: read
 * from the database at most once a second per execution (a stop asked on another replica is seen
 * within a second), a database that fails reads as "go on".
 */
final class StopFlags {

    private static final long FRESH_NANOS = 1_000_000_000L;

    private record Seen(boolean stop, long at) {}

    private final DataSource db;
    private final Map<Long, Seen> seen = new ConcurrentHashMap<>();

    StopFlags(DataSource db) {
        this.db = db;
    }

    boolean stopRequested(long executionId) {
        long now = System.nanoTime();
        Seen s = seen.get(executionId);
        if (s != null && now - s.at() < FRESH_NANOS) {
            return s.stop();
        }
        return read(executionId, s, now);
    }

    /**
     * Reads the flag now, whatever was seen before: a task asks before it starts, since a retried
     * execution's flag was cleared maybe less than a second ago.
     */
    boolean stopRequestedNow(long executionId) {
        return read(executionId, seen.get(executionId), System.nanoTime());
    }

    private boolean read(long executionId, Seen s, long now) {
        boolean stop;
        try (Connection c = db.getConnection()) {
            stop = TaskQueue.stopRequested(c, executionId);
        } catch (SQLException e) {
            stop = s != null && s.stop();
        }
        seen.put(executionId, new Seen(stop, now));
        if (seen.size() > 10_000) {
            seen.entrySet().removeIf(e -> now - e.getValue().at() > 60 * FRESH_NANOS);
        }
        return stop;
    }
}
