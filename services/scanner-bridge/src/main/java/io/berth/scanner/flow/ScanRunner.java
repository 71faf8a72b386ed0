package io.berth.scanner.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.MediaTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs one claimed job to its end: reads its target, scans it with the {@link ArtifactScanner}
 * of its scanner's kind (an index through its children, {@link IndexScans}), and writes the
 * outcome in one transaction ({@link ReportWriter}). Bad input fails the job at once; an outage
 * (the store, the database) puts it back in the queue with backoff
 * ({@code berth.scanner.flow.retry-backoff}, then four times longer each time) until
 * {@code berth.scanner.flow.max-attempts}, then fails it. Nothing a job does can stop the
 * worker: every exception ends in one of these outcomes, or, if even that cannot be written,
 * in a job whose heartbeat stops and which is taken over later.
 */
@ApplicationScoped
public class ScanRunner {

    private static final Logger LOG = Logger.getLogger(ScanRunner.class);

    private final DataSource db;
    private final FlowConfig config;
    private final Instance<ArtifactScanner> scanners;
    private final ScanMetrics metrics;
    private final ReportWriter reports;
    private final IndexScans indexes;

    public ScanRunner(DataSource db, ObjectMapper json, FlowConfig config, Instance<ArtifactScanner> scanners,
            ScanMetrics metrics) {
        this.db = db;
        this.config = config;
        this.scanners = scanners;
        this.metrics = metrics;
        this.reports = new ReportWriter(json);
        this.indexes = new IndexScans(json, config);
    }

    /** Transaction bodies: return false to roll back (the job is no longer ours). */
    @FunctionalInterface
    private interface Work {
        boolean run(Connection c) throws SQLException;
    }

    /** Runs {@code job}, which the caller claimed, to one of its ends. */
    public void run(ScanJob job) {
        long start = System.nanoTime();
        Optional<ScanTarget> loaded;
        try (Connection c = db.getConnection()) {
            loaded = ScanTargets.load(c, job);
            if (loaded.isPresent()) {
                ScanTargets.markRunning(c, job);
            }
        } catch (SQLException e) {
            retryOrFail(job, null, "could not read the job's artifact: " + e.getMessage(), true, start);
            return;
        }
        if (loaded.isEmpty()) {
            return; // the manifest or the scanner was deleted: its jobs went with it
        }
        ScanTarget target = loaded.get();
        if (job.attempts() > config.maxAttempts()) {
            // taken back from owners that stopped heart-beating, once too often
            fail(job, target, "gave up after " + config.maxAttempts() + " attempts whose workers stopped", start);
            return;
        }
        if (target.scanner().disabled()) {
            fail(job, target, "scanner " + target.scanner().name() + " is disabled", start);
            return;
        }
        if (MediaTypes.isIndex(target.mediaType())) {
            runIndex(job, target, start);
            return;
        }
        Optional<ArtifactScanner> scanner = scanners.stream().filter(s -> s.kind().equals(target.scanner().kind()))
                .findFirst();
        if (scanner.isEmpty()) {
            fail(job, target, "no scanner of kind " + target.scanner().kind(), start);
            return;
        }
        ScanResult result;
        try {
            result = scanner.get().scan(target);
        } catch (ScanException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // the pool is stopping: it gives the job back without counting this attempt
            }
            retryOrFail(job, target, e.getMessage(), e.retryable(), start);
            return;
        } catch (RuntimeException e) {
            LOG.warnf(e, "scan job %d of %s@%s broke", job.id(), target.repository(), target.digest());
            retryOrFail(job, target, "the scan broke: " + e, true, start);
            return;
        }
        boolean builtin = ScannerRow.BUILTIN.equals(target.scanner().kind());
        if (transaction(job, c -> {
            if (!reports.success(c, job, target, result, null)) {
                return false;
            }
            if (builtin) {
                ReportWriter.rescanIfOutdated(c, job, result.vulndbImportId());
            }
            return true;
        })) {
            ended(job, target, "success", start);
        }
    }

    private void runIndex(ScanJob job, ScanTarget target, long start) {
        IndexScans.Step[] step = new IndexScans.Step[1];
        boolean committed = transaction(job, c -> {
            step[0] = indexes.step(c, job, target);
            if (step[0] instanceof IndexScans.Wait w) {
                return ScanQueue.requeue(c, job, config.indexRecheck(), "waiting for " + w.pending() + " children", false);
            }
            if (step[0] instanceof IndexScans.Done d) {
                return reports.success(c, job, target, d.result(), d.error());
            }
            return reports.failure(c, job, target, ((IndexScans.Failed) step[0]).error());
        });
        if (!committed) {
            return;
        }
        if (step[0] instanceof IndexScans.Wait w) {
            LOG.debugf("index %s waits for %d children", target.digest(), w.pending());
        } else if (step[0] instanceof IndexScans.Done d) {
            ended(job, target, d.error() == null ? "success" : "error", start);
        } else {
            ended(job, target, "error", start);
        }
    }

    private void retryOrFail(ScanJob job, ScanTarget target, String error, boolean retryable, long start) {
        if (retryable && job.attempts() < config.maxAttempts()) {
            Duration backoff = config.retryBackoff().multipliedBy(1L << (2 * Math.min(job.attempts() - 1, 10)));
            if (transaction(job, c -> ScanQueue.requeue(c, job, backoff, error, true))) {
                LOG.infof("scan job %d, attempt %d failed, again in %s: %s", job.id(), job.attempts(), backoff, error);
                metrics.scanned("retry", job.trigger(), System.nanoTime() - start);
            }
            return;
        }
        String message = retryable ? "failed after " + job.attempts() + " attempts: " + error : error;
        if (target == null) {
            if (transaction(job, c -> ScanQueue.fail(c, job, message))) {
                metrics.scanned("error", job.trigger(), System.nanoTime() - start);
            }
            return;
        }
        fail(job, target, message, start);
    }

    private void fail(ScanJob job, ScanTarget target, String error, long start) {
        if (transaction(job, c -> reports.failure(c, job, target, error))) {
            LOG.infof("scan of %s@%s failed: %s", target.repository(), target.digest(), error);
            ended(job, target, "error", start);
        }
    }

    private void ended(ScanJob job, ScanTarget target, String result, long start) {
        metrics.scanned(result, job.trigger(), System.nanoTime() - start);
        if ("push".equals(job.trigger())) {
            metrics.pushToReport(Duration.between(target.pushedAt(), Instant.now()));
        }
    }

    /** Runs {@code work} in one transaction; false when it rolled back (not ours any more, or the database failed). */
    private boolean transaction(ScanJob job, Work work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (work.run(c)) {
                    c.commit();
                    return true;
                }
                c.rollback();
                LOG.infof("scan job %d was taken over by another worker; this worker's result is dropped", job.id());
                return false;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            // the job stays running under our name; when its heartbeat stops it is taken over
            LOG.warnf("could not write the end of scan job %d (it will be taken over): %s", job.id(), e.getMessage());
            return false;
        }
    }
}
