package io.berth.scanner.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scan flow's metrics on {@code /q/metrics}: {@code berth_scanner_scans_total} (by
 * {@code result}: success, error, retry; and {@code trigger}), {@code berth_scanner_scan_duration_seconds}
 * (by result), {@code berth_scanner_queue_depth} (jobs waiting, refreshed by the workers' poll),
 * {@code berth_scanner_jobs_running} (this replica's), and
 * {@code berth_scanner_push_to_report_seconds} (from a manifest's push to its first report, for
 * scans on push; p50, p90, p99).
 */
@ApplicationScoped
public class ScanMetrics {

    private final MeterRegistry meters;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong running = new AtomicLong();
    private final Timer pushToReport;

    public ScanMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("berth.scanner.queue.depth", depth, AtomicLong::get)
                .description("scan jobs waiting in the queue, all replicas").register(meters);
        Gauge.builder("berth.scanner.jobs.running", running, AtomicLong::get)
                .description("scan jobs this replica runs now").register(meters);
        pushToReport = Timer.builder("berth.scanner.push.to.report")
                .description("from a manifest's push to its scan report, for scans on push")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
    }

    /** One ended attempt: {@code result} is success, error (for good) or retry. */
    void scanned(String result, String trigger, long nanos) {
        Counter.builder("berth.scanner.scans").description("scan attempts by how they ended")
                .tag("result", result).tag("trigger", trigger).register(meters).increment();
        Timer.builder("berth.scanner.scan.duration").description("how long one scan attempt takes")
                .tag("result", result).register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }

    void pushToReport(Duration d) {
        pushToReport.record(d.isNegative() ? Duration.ZERO : d);
    }

    void queueDepth(long n) {
        depth.set(n);
    }

    void running(long n) {
        running.set(n);
    }

    /** How many attempts ended with {@code result}, for tests. */
    double count(String result) {
        return meters.find("berth.scanner.scans").tag("result", result).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
