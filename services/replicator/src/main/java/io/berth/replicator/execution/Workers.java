package io.berth.replicator.execution;

import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.copy.Copier;
import io.berth.replicator.policy.PolicyRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * This replica's {@link WorkerPool}, started with the service (unless
 * {@code berth.replicator.run-workers} is off) with {@code berth.replicator.workers} copy threads,
 * under the lease owner name {@code <host>/<random>} (new at each start, so a restarted replica
 * never mistakes a dead run's tasks for its own).
 */
@ApplicationScoped
public class Workers {

    private final DataSource db;
    private final PolicyRepository policies;
    private final Ends ends;
    private final Copier copier;
    private final ReplicatorConfig config;
    private final ReplicationMetrics metrics;
    private final WorkerPool pool;

    public Workers(DataSource db, PolicyRepository policies, Ends ends, Copier copier, ReplicatorConfig config,
            ReplicationMetrics metrics) {
        this.db = db;
        this.policies = policies;
        this.ends = ends;
        this.copier = copier;
        this.config = config;
        this.metrics = metrics;
        this.pool = newPool(ownerName(), config.workers());
    }

    void start(@Observes StartupEvent started) {
        if (config.runWorkers()) {
            pool.start();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        pool.stop();
    }

    /** Polls the queue now (work was queued in this replica). */
    public void wake() {
        pool.wake();
    }

    /** Another pool on the same queue, as another replica's (tests). */
    WorkerPool newPool(String owner, int concurrency) {
        return new WorkerPool(db, new TaskRunner(db, policies, ends, copier, config, metrics), metrics, concurrency,
                config.lease(), config.pollInterval(), owner);
    }

    WorkerPool pool() {
        return pool;
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "replicator";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
