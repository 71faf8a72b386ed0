package io.berth.scanner.flow;

import io.berth.scanner.config.ScannerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * This replica's {@link WorkerPool}, started with the service when {@code berth.scanner.flow.workers}
 * is on, with {@code berth.scanner.concurrent-scans} scan threads, under the owner name
 * {@code <host>/<random>} (unique per start, so a restarted replica never mistakes a dead
 * run's jobs for its own).
 */
@ApplicationScoped
public class ScanWorkers {

    private final FlowConfig config;
    private final WorkerPool pool;

    public ScanWorkers(DataSource db, ScanRunner runner, ScanMetrics metrics, FlowConfig config,
            ScannerConfig scanner) {
        this.config = config;
        this.pool = new WorkerPool(db, runner, metrics, config, scanner.concurrentScans(), ownerName());
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
    public WorkerPool pool() {
        return pool;
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "scanner-bridge";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
