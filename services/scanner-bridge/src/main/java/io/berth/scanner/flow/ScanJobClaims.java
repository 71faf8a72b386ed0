package io.berth.scanner.flow;

import io.berth.workers.WorkerPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * How a replica's {@link WorkerPool} holds rows of {@code scan_jobs}: each poll takes back the
 * jobs of owners that stopped heart-beating for {@code takeover-after}, refreshes
 * {@code berth_scanner_queue_depth} and claims due jobs under {@code owner} (one indexed query,
 * none when every scan thread is busy); it heart-beats the running ones, gives them back at stop
 * without counting the attempt, and counts them in {@code berth_scanner_jobs_running}.
 */
record ScanJobClaims(DataSource db, ScanMetrics metrics, FlowConfig config, String owner)
        implements WorkerPool.Claims<ScanJob> {

    @Override
    public List<ScanJob> claim(int free) throws SQLException {
        try (Connection c = db.getConnection()) {
            ScanQueue.reap(c, config.takeoverAfter());
            metrics.queueDepth(ScanQueue.depth(c));
            return free <= 0 ? List.of() : ScanQueue.claim(c, owner, free);
        }
    }

    @Override
    public void renew(List<ScanJob> running) throws SQLException {
        try (Connection c = db.getConnection()) {
            ScanQueue.heartbeat(c, owner, running.stream().map(ScanJob::id).toList());
        }
    }

    @Override
    public int release() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs SET status = 'queued', owner = NULL, heartbeat_at = NULL, next_attempt_at = now(),
                    attempts = greatest(attempts - 1, 0)
                WHERE owner = ? AND status = 'running'""")) {
            s.setString(1, owner);
            return s.executeUpdate();
        }
    }

    @Override
    public void started(int running) {
        metrics.running(running);
    }

    @Override
    public void ended(int running) {
        metrics.running(running);
    }
}
