package io.berth.replicator.execution;

import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.copy.Copier;
import io.berth.replicator.policy.PolicyRepository;
import io.berth.workers.WorkerPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * This replica's {@link WorkerPool} on {@code replication_tasks} ({@link TaskClaims}, {@link TaskRunner}), started with
 * the service (unless {@code berth.replicator.run-workers} is off) with
 * {@code berth.replicator.workers} copy threads ({@code berth-replication-1..n}), polling every
 * {@code poll-interval} and renewing the leases every third of {@code lease}, under the lease
 * owner name {@code <host>/<random>} (new at each start, so a restarted replica never mistakes a
 * dead run's tasks for its own).
 */
@ApplicationScoped
public class Workers {

    private final ReplicatorConfig config;
    private final DataSource db;
    private final ReplicationMetrics metrics;
    private final Supplier<TaskRunner> runners;
    private final WorkerPool<Task> pool;

    public Workers(DataSource db, PolicyRepository policies, Ends ends, Copier copier, ReplicatorConfig config,
            ReplicationMetrics metrics) {
        this.config = config;
        this.db = db;
        this.metrics = metrics;
        this.runners = () -> new TaskRunner(db, policies, ends, copier, config, metrics);
        this.pool = newPool(WorkerPool.ownerName("replicator"), config.workers());
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
    WorkerPool<Task> newPool(String owner, int concurrency) {
        Duration renewEvery = Duration.ofMillis(Math.max(config.lease().toMillis() / 3, 100));
        return new WorkerPool<>(new WorkerPool.Settings("replication", "tasks", owner, concurrency,
                "berth.replicator.workers", config.pollInterval(), renewEvery),
                new TaskClaims(db, metrics, owner, config.lease()), runners.get()::run);
    }

    WorkerPool<Task> pool() {
        return pool;
    }
}
