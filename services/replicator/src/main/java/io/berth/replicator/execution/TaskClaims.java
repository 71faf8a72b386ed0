package io.berth.replicator.execution;

import io.berth.workers.WorkerPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * How a replica's {@link WorkerPool} holds rows of {@code replication_tasks}: claims due tasks
 * under {@code owner}'s lease (none, and no connection, when every copy thread is busy), renews
 * the leases of the running ones, gives them back at stop without counting the attempt, and
 * counts them in {@code berth_replication_tasks_running}.
 */
record TaskClaims(DataSource db, ReplicationMetrics metrics, String owner, Duration lease)
        implements WorkerPool.Claims<Task> {

    @Override
    public List<Task> claim(int free) throws SQLException {
        if (free <= 0) {
            return List.of();
        }
        try (Connection c = db.getConnection()) {
            return TaskQueue.claim(c, owner, free, lease);
        }
    }

    @Override
    public void renew(List<Task> running) throws SQLException {
        try (Connection c = db.getConnection()) {
            TaskQueue.renew(c, owner, running.stream().map(Task::id).toList(), lease);
        }
    }

    @Override
    public int release() throws SQLException {
        try (Connection c = db.getConnection()) {
            return TaskQueue.release(c, owner);
        }
    }

    @Override
    public void started(int running) {
        metrics.started();
    }

    @Override
    public void ended(int running) {
        metrics.finished();
    }
}
