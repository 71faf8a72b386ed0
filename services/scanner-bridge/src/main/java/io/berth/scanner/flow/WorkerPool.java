package io.berth.scanner.flow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * One replica's workers: a queue thread that claims due jobs and says the running ones are
 * alive, and {@code concurrency} scan threads. The queue thread polls every
 * {@code poll-interval} (one indexed query, and nothing when all scan threads are busy), and at
 * once when {@link #wake()}d (a push heard here, a scan ended). Each poll also takes back the
 * jobs of owners that stopped heart-beating for {@code takeover-after}. Stopping puts this
 * pool's running jobs back in the queue for the other replicas, without counting the attempt.
 *
 * <p>Threads: {@code berth-scan-queue} and {@code berth-scan-1..n}, daemons, nothing else.
 */
public final class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    private final DataSource db;
    private final ScanRunner runner;
    private final ScanMetrics metrics;
    private final FlowConfig config;
    private final int concurrency;
    private final String owner;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private ScheduledExecutorService queue;
    private ExecutorService scans;

    public WorkerPool(DataSource db, ScanRunner runner, ScanMetrics metrics, FlowConfig config, int concurrency,
            String owner) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("berth.scanner.concurrent-scans must be at least 1, got " + concurrency);
        }
        this.db = db;
        this.runner = runner;
        this.metrics = metrics;
        this.config = config;
        this.concurrency = concurrency;
        this.owner = owner;
    }

    /** The name this pool claims jobs under ({@code scan_jobs.owner}). */
    public String owner() {
        return owner;
    }

    public synchronized void start() {
        if (queue != null) {
            return;
        }
        queue = Executors.newSingleThreadScheduledExecutor(named("berth-scan-queue"));
        int[] n = {0};
        scans = Executors.newFixedThreadPool(concurrency, r -> named("berth-scan-" + (++n[0])).newThread(r));
        queue.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        queue.scheduleWithFixedDelay(this::heartbeat, config.heartbeat().toMillis(), config.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("scan workers %s started: %d at once", owner, concurrency);
    }

    /** Stops claiming, interrupts running scans and gives their jobs back to the queue. */
    public synchronized void stop() {
        if (queue == null) {
            return;
        }
        queue.shutdownNow();
        scans.shutdownNow();
        try {
            scans.awaitTermination(5, TimeUnit.SECONDS);
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue = null;
        scans = null;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE scan_jobs SET status = 'queued', owner = NULL, heartbeat_at = NULL, next_attempt_at = now(),
                    attempts = greatest(attempts - 1, 0)
                WHERE owner = ? AND status = 'running'""")) {
            s.setString(1, owner);
            int n = s.executeUpdate();
            if (n > 0) {
                LOG.infof("scan workers %s stopped, %d running jobs given back to the queue", owner, n);
            }
        } catch (SQLException e) {
            LOG.warnf("scan workers %s stopped; their running jobs are taken over later: %s", owner, e.getMessage());
        }
        running.clear();
    }

    /** Polls now rather than at the next tick (coalesced: many wakes, one poll). */
    public void wake() {
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

    /** How many jobs this pool runs now. */
    public int running() {
        return running.size();
    }

    private void poll() {
        try (Connection c = db.getConnection()) {
            ScanQueue.reap(c, config.takeoverAfter());
            metrics.queueDepth(ScanQueue.depth(c));
            int free = concurrency - running.size();
            if (free <= 0) {
                return;
            }
            List<ScanJob> claimed = ScanQueue.claim(c, owner, free);
            for (ScanJob job : claimed) {
                running.add(job.id());
                metrics.running(running.size());
                scans.execute(() -> runOne(job));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("scan workers %s could not poll the queue: %s", owner, e.getMessage());
        }
    }

    private void runOne(ScanJob job) {
        try {
            runner.run(job);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "scan job %d broke its worker", job.id()); // the job is taken over when its heartbeat stops
        } finally {
            running.remove(job.id());
            metrics.running(running.size());
            wake();
        }
    }

    private void heartbeat() {
        List<Long> ids = new ArrayList<>(running);
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection()) {
            ScanQueue.heartbeat(c, owner, ids);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("scan workers %s could not heart-beat: %s", owner, e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
