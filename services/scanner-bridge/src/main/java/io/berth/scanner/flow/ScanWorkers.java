package io.berth.scanner.flow;

import io.berth.scanner.config.ScannerConfig;
import io.berth.workers.WorkerPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;

/**
 * This replica's {@link WorkerPool} on {@code scan_jobs} ({@link ScanJobClaims}, {@link ScanRunner}), started with the
 * service when {@code berth.scanner.flow.workers} is on, with {@code berth.scanner.concurrent-scans}
 * scan threads ({@code berth-scan-1..n}), polling every {@code poll-interval} and heart-beating
 * every {@code heartbeat}, under the owner name {@code <host>/<random>} (unique per start, so a
 * restarted replica never mistakes a dead run's jobs for its own).
 */
@ApplicationScoped
public class ScanWorkers {

    private final DataSource db;
    private final ScanRunner runner;
    private final ScanMetrics metrics;
    private final FlowConfig config;
    private final WorkerPool<ScanJob> pool;

    public ScanWorkers(DataSource db, ScanRunner runner, ScanMetrics metrics, FlowConfig config,
            ScannerConfig scanner) {
        this.db = db;
        this.runner = runner;
        this.metrics = metrics;
        this.config = config;
        this.pool = newPool(WorkerPool.ownerName("scanner-bridge"), scanner.concurrentScans());
    }

    void start(@Observes StartupEvent started) {
        if (config.workers()) {
            pool.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        pool.stop();
    }

    /** Polls the queue now (a job was queued in this replica). */
    public void wake() {
        pool.wake();
    }

    /** This replica's pool. */
    public WorkerPool<ScanJob> pool() {
        return pool;
    }

    /** Another pool on the same queue, as another replica's (tests). */
    WorkerPool<ScanJob> newPool(String owner, int concurrency) {
        return new WorkerPool<>(new WorkerPool.Settings("scan", "jobs", owner, concurrency,
                "berth.scanner.concurrent-scans", config.pollInterval(), config.heartbeat()),
                new ScanJobClaims(db, metrics, config, owner), runner::run);
    }
}
