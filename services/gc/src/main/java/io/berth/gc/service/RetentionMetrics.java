package io.berth.gc.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Retention's metrics on {@code /q/metrics}: {@code berth_retention_executions_total} (by status
 * and dry_run) and {@code berth_retention_deleted_total} (artifacts deleted; dry runs delete none).
 */
@ApplicationScoped
public class RetentionMetrics {

    private final MeterRegistry meters;

    public RetentionMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void executed(String status, boolean dryRun, int deleted) {
        Counter.builder("berth.retention.executions").description("retention executions that ended")
                .tag("status", status).tag("dry_run", Boolean.toString(dryRun)).register(meters).increment();
        Counter deletions = Counter.builder("berth.retention.deleted")
                .description("artifacts retention deleted").register(meters);
        if (!dryRun && deleted > 0) {
            deletions.increment(deleted);
        }
    }
}
