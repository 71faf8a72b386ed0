package io.berth.replicator.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replication metrics, per policy name ({@code policy} tag):
 * {@code berth_replication_lag_seconds} (histogram with buckets: from the source's commit, an
 * event's time, to the end of the copy; event-based copies only),
 * {@code berth_replication_bytes_total}, {@code berth_replication_tasks_total{status}} (tasks
 * ended: succeeded, failed, stopped, retried) and {@code berth_replication_tasks_running}.
 */
@ApplicationScoped
public class ReplicationMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();

    public ReplicationMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("berth.replication.tasks.running", running);
    }

    void lag(String policy, Duration lag) {
        Timer.builder("berth.replication.lag").description("From the source's commit to the copy's end")
                .tag("policy", policy).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void bytes(String policy, long bytes) {
        if (bytes > 0) {
            Counter.builder("berth.replication.bytes").baseUnit("bytes").description("Bytes sent to destinations")
                    .tag("policy", policy).register(registry).increment(bytes);
        }
    }

    void ended(String policy, String status) {
        Counter.builder("berth.replication.tasks").description("Task attempts ended, by outcome").tag("policy", policy)
                .tag("status", status).register(registry).increment();
    }

    void started() {
        running.incrementAndGet();
    }

    void finished() {
        running.decrementAndGet();
    }
}
