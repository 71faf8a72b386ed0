package io.berth.replicator.execution;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One replica's replication workers: a queue thread that claims due tasks and renews the leases
 * of the running ones (every third of the lease), and {@code concurrency} copy threads. The queue
 * thread polls every {@code poll-interval}, and at once when {@link #wake()}d (work queued here,
 * a task ended). Stopping gives this pool's running tasks back to the queue without counting the
 * attempt.
 *
 * <p>Threads: {@code berth-replication-queue} and {@code berth-replication-1..n}, daemons.
 */
final class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    private final DataSource db;
    private final TaskRunner runner;
    private final ReplicationMetrics metrics;
    private final int concurrency;
    private final Duration lease;
    private final Duration pollInterval;
    private final String owner;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private ScheduledExecutorService queue;
    private ExecutorService copies;

    WorkerPool(DataSource db, TaskRunner runner, ReplicationMetrics metrics, int concurrency, Duration lease,
            Duration pollInterval, String owner) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("berth.replicator.workers must be at least 1, got " + concurrency);
        }
        this.db = db;
        this.runner = runner;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    synchronized void start() {
        if (queue != null) {
            return;
        }
        queue = Executors.newSingleThreadScheduledExecutor(named("berth-replication-queue"));
        int[] n = {0};
        copies = Executors.newFixedThreadPool(concurrency, r -> named("berth-replication-" + (++n[0])).newThread(r));
        queue.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        long renewEvery = Math.max(lease.toMillis() / 3, 100);
        queue.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        LOG.infof("replication workers %s started: %d at once", owner, concurrency);
    }

    /** Stops claiming, interrupts running copies and gives their tasks back to the queue. */
    synchronized void stop() {
        if (queue == null) {
            return;
        }
        queue.shutdownNow();
        copies.shutdownNow();
        try {
            copies.awaitTermination(5, TimeUnit.SECONDS);
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue = null;
        copies = null;
        try (Connection c = db.getConnection()) {
            int n = TaskQueue.release(c, owner);
            if (n > 0) {
                LOG.infof("replication workers %s stopped, %d running tasks given back to the queue", owner, n);
            }
        } catch (SQLException e) {
            LOG.warnf("replication workers %s stopped; their tasks are taken over when the leases end: %s", owner,
                    e.getMessage());
        }
        running.clear();
    }

    /** Polls now rather than at the next tick (many wakes, one poll). */
    void wake() {
        ScheduledExecutorService q = queue;
        if (q != null && wakePending.compareAndSet(false, true)) {
            try {
                q.execute(() -> {
                    wakePending.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) {
                wakePending.set(false); // stopping
            }
        }
    }

    private void poll() {
        int free = concurrency - running.size();
        if (free <= 0) {
            return;
        }
        try (Connection c = db.getConnection()) {
            for (Task task : TaskQueue.claim(c, owner, free, lease)) {
                running.add(task.id());
                metrics.started();
                copies.execute(() -> runOne(task));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("replication workers %s could not poll the queue: %s", owner, e.getMessage());
        }
    }

    private void runOne(Task task) {
        try {
            runner.run(task);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "%s broke its worker; it is taken over when its lease ends", task);
        } finally {
            running.remove(task.id());
            metrics.finished();
            wake();
        }
    }

    private void renew() {
        List<Long> ids = new ArrayList<>(running);
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection()) {
            TaskQueue.renew(c, owner, ids, lease);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("replication workers %s could not renew their leases: %s", owner, e.getMessage());
        }
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
