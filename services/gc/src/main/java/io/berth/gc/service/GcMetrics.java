package io.berth.gc.service;

import io.berth.gc.metadata.GcRun;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * gc's metrics on {@code /q/metrics}: {@code berth_gc_runs_total} (by trigger and status),
 * {@code berth_gc_run_duration_seconds}, {@code berth_gc_deleted_total} (by kind: manifest,
 * link, blob, object), {@code berth_gc_bytes_freed_total} and
 * {@code berth_gc_object_delete_failures_total}. Dry runs count in runs and duration only.
 */
@ApplicationScoped
public class GcMetrics {

    private final MeterRegistry meters;

    public GcMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void ran(GcRun run, String status, GcRun.Counts counts, long nanos) {
        meters.counter("berth.gc.runs", "trigger", run.trigger(), "status", status, "dry_run",
                Boolean.toString(run.dryRun())).increment();
        Timer.builder("berth.gc.run.duration").description("how long gc runs take").tag("dry_run",
                Boolean.toString(run.dryRun())).register(meters).record(nanos, TimeUnit.NANOSECONDS);
        if (run.dryRun()) {
            return;
        }
        deleted("manifest", counts.manifestsDeleted());
        deleted("link", counts.linksDeleted());
        deleted("blob", counts.blobsDeleted());
        deleted("object", counts.objectsDeleted());
        Counter.builder("berth.gc.bytes.freed").description("bytes gc removed from the object store")
                .register(meters).increment(counts.bytesFreed());
    }

    void objectDeleteFailures(long n) {
        meters.counter("berth.gc.object.delete.failures").increment(n);
    }

    private void deleted(String kind, long n) {
        Counter.builder("berth.gc.deleted").description("what gc deleted").tag("kind", kind).register(meters)
                .increment(n);
    }
}
