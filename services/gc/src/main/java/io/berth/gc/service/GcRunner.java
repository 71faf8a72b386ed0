package io.berth.gc.service;

import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.DryRunRepository;
import io.berth.gc.metadata.GcRun;
import io.berth.gc.metadata.MarkRepository;
import io.berth.gc.metadata.ReadOnly;
import io.berth.gc.metadata.RunRepository;
import io.berth.gc.metadata.SweepRepository;
import io.berth.gc.metadata.SweepRepository.BlobBatch;
import io.berth.gc.metadata.SweepRepository.Candidate;
import io.berth.gc.metadata.SweepRepository.LinkKey;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs garbage collection (docs/adr/0027, 0028), one run at a time across all replicas (the
 * database refuses a second running row), on this replica's one run thread. A run:
 * <ol>
 *   <li>with {@code deleteUntagged}, deletes untagged manifests that nothing keeps (no tag, no
 *       parent index, no live subject, pushed before the grace window), pass after pass, since
 *       deleting an index frees its children;
 *   <li>marks unreferenced links, then deletes the links due (marked, or pending, for the grace
 *       window), one project's batch per transaction under its usage lock;
 *   <li>marks unreferenced blobs, then deletes the blob rows due with {@code SKIP LOCKED}, and
 *       after each batch commits, their objects, in parallel;
 *   <li>when asked ({@code orphans}), lists the whole store and deletes objects no row names;
 *   <li>in a full run (not one started by due marks), corrects every project's usage.
 * </ol>
 * A dry run computes the same in one snapshot and deletes nothing. Between batches the run
 * checks whether it was asked to stop; a replica that dies leaves only committed batches behind.
 */
@ApplicationScoped
public class GcRunner {

    private static final Logger LOG = Logger.getLogger(GcRunner.class);

    /** Heartbeats missed before another replica may fail a run. */
    static final int STALE_HEARTBEATS = 12;

    /** A run could not start because another is running. */
    public static final class AlreadyRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<GcRun> running;

        AlreadyRunning(Optional<GcRun> running) {
            super(running.map(r -> "gc run " + r.id() + " is running; one run at a time")
                    .orElse("another gc run is starting; one run at a time"));
            this.running = running;
        }

        public Optional<GcRun> running() {
            return running;
        }
    }

    /** Thrown inside a run when it was asked to stop or lost its row. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String why) {
            super(why, null, false, false);
        }
    }

    private final GcConfig config;
    private final RunRepository runs;
    private final MarkRepository marks;
    private final SweepRepository sweep;
    private final DryRunRepository dryRuns;
    private final ObjectSweeper objects;
    private final GcMetrics metrics;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Daemons.named("berth-gc-run"));
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-gc-heartbeat"));

    public GcRunner(GcConfig config, RunRepository runs, MarkRepository marks, SweepRepository sweep,
            DryRunRepository dryRuns, ObjectSweeper objects, GcMetrics metrics) {
        this.config = config;
        this.runs = runs;
        this.marks = marks;
        this.sweep = sweep;
        this.dryRuns = dryRuns;
        this.objects = objects;
        this.metrics = metrics;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        thread.shutdownNow();
        beats.shutdownNow();
    }

    /** How long a running run may stay silent before the next start fails it. */
    public Duration staleAfter() {
        return config.heartbeat().multipliedBy(STALE_HEARTBEATS);
    }

    /**
     * Starts a run in the background.
     *
     * @throws AlreadyRunning if a run is running (on any replica)
     */
    public GcRun start(GcRun.Options options) {
        GcRun run = runs.start(options, staleAfter()).orElseThrow(() -> new AlreadyRunning(runs.running()));
        thread.submit(() -> execute(run));
        return run;
    }

    private void execute(GcRun run) {
        Execution ex = new Execution(run);
        ScheduledFuture<?> beat = beats.scheduleWithFixedDelay(ex::heartbeat, config.heartbeat().toMillis(),
                config.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        String status = "succeeded";
        String error = null;
        try {
            ex.log.line("started (%s): dryRun=%s deleteUntagged=%s graceSeconds=%d orphans=%s", run.trigger(),
                    run.dryRun(), run.deleteUntagged(), run.graceSeconds(), run.orphans());
            ex.steps();
        } catch (Stopped | ReadOnly.Refused e) {
            status = "stopped";
            ex.log.line("stopped: %s", e.getMessage());
        } catch (RuntimeException e) {
            status = "failed";
            error = e.getMessage();
            LOG.errorf(e, "gc run %d failed", run.id());
            ex.log.line("failed: %s", e.getMessage());
        } finally {
            beat.cancel(false);
        }
        GcRun.Counts counts = ex.counts();
        ex.log.line("%s: %d manifests, %d links, %d blobs, %d objects %s; %d bytes freed", status,
                counts.manifestsDeleted(), counts.linksDeleted(), counts.blobsDeleted(), counts.objectsDeleted(),
                run.dryRun() ? "would be deleted" : "deleted", counts.bytesFreed());
        ex.log.close();
        try {
            runs.finish(run.id(), status, counts, error);
        } catch (RuntimeException e) {
            LOG.errorf("gc run %d ended %s but could not be recorded (the next run will fail it as stale): %s",
                    run.id(), status, e.getMessage());
        }
        metrics.ran(run, status, counts, System.nanoTime() - start);
    }

    /** The state of one run on the run thread; counters are read by the heartbeat thread too. */
    private final class Execution {
        private final GcRun run;
        private final RunLog log;
        private final long grace;
        private final boolean full;
        private volatile boolean stopRequested;
        private volatile boolean lost;
        private volatile long manifests;
        private volatile long links;
        private volatile long blobs;
        private volatile long objectsDeleted;
        private volatile long bytes;
        private long objectFailures;

        Execution(GcRun run) {
            this.run = run;
            this.log = new RunLog(runs, run.id(), config.maxLogLines());
            this.grace = run.graceSeconds();
            this.full = !"event".equals(run.trigger());
        }

        GcRun.Counts counts() {
            return new GcRun.Counts(manifests, links, blobs, objectsDeleted, bytes);
        }

        void heartbeat() {
            try {
                Optional<Boolean> stop = runs.heartbeat(run.id(), counts());
                if (stop.isEmpty()) {
                    lost = true;
                } else if (stop.get()) {
                    stopRequested = true;
                }
            } catch (RuntimeException e) {
                LOG.warnf("gc run %d: heartbeat failed: %s", run.id(), e.getMessage());
            }
        }

        void checkStop() {
            if (Thread.currentThread().isInterrupted()) {
                throw new Stopped("the service is shutting down");
            }
            if (lost) {
                throw new Stopped("another replica took over after missed heartbeats");
            }
            if (stopRequested) {
                throw new Stopped("a stop was requested");
            }
        }

        void steps() {
            if (run.dryRun()) {
                GcRun.Counts would = dryRuns.simulate(grace, run.deleteUntagged());
                manifests = would.manifestsDeleted();
                links = would.linksDeleted();
                blobs = would.blobsDeleted();
                objectsDeleted = would.blobsDeleted();
                bytes = would.bytesFreed();
                log.line("dry run: %d untagged manifests, %d links, %d blobs (%d bytes) would be deleted",
                        manifests, links, blobs, bytes);
                if (run.orphans()) {
                    ObjectSweeper.Outcome o = objects.orphans(orphanAge(), true, log, () -> stopRequested);
                    objectsDeleted += o.deleted();
                    bytes += o.bytes();
                }
                return;
            }
            if (run.deleteUntagged()) {
                untagged();
            }
            long marked = marks.markLinks();
            log.line("marked %d newly unreferenced links", marked);
            sweepLinks();
            marked = marks.markBlobs();
            log.line("marked %d newly unreferenced blobs", marked);
            sweepBlobs();
            if (run.orphans()) {
                checkStop();
                ObjectSweeper.Outcome o = objects.orphans(orphanAge(), false, log, () -> stopRequested || lost);
                objectsDeleted += o.deleted();
                bytes += o.bytes();
                objectFailures += o.failed();
            }
            if (full) {
                checkStop();
                reconcile();
            }
            if (objectFailures > 0) {
                log.line("%d objects could not be deleted; a later run deletes them as orphans", objectFailures);
                metrics.objectDeleteFailures(objectFailures);
            }
        }

        private Duration orphanAge() {
            Duration g = Duration.ofSeconds(grace);
            return g.compareTo(config.orphanMinAge()) > 0 ? g : config.orphanMinAge();
        }

        private void untagged() {
            for (int pass = 1; pass <= 32; pass++) {
                long before = manifests;
                long after = 0;
                List<Candidate> batch;
                do {
                    checkStop();
                    batch = sweep.untagged(grace, after, config.batchSize());
                    Map<Long, List<Long>> byProject = new LinkedHashMap<>();
                    for (Candidate c : batch) {
                        byProject.computeIfAbsent(c.projectId(), p -> new ArrayList<>()).add(c.id());
                        after = c.id();
                    }
                    for (var e : byProject.entrySet()) {
                        manifests += sweep.deleteUntagged(e.getKey(), e.getValue(), grace, run.requestedBy(), "gc");
                    }
                } while (batch.size() == config.batchSize());
                log.line("untagged pass %d: %d manifests deleted", pass, manifests - before);
                if (manifests == before) {
                    return;
                }
            }
        }

        private void sweepLinks() {
            LinkKey after = LinkKey.FIRST;
            long before = links;
            List<LinkKey> batch;
            do {
                checkStop();
                batch = sweep.dueLinks(grace, after, config.batchSize());
                Map<Long, List<LinkKey>> byProject = new LinkedHashMap<>();
                for (LinkKey k : batch) {
                    byProject.computeIfAbsent(k.projectId(), p -> new ArrayList<>()).add(k);
                    after = k;
                }
                for (var e : byProject.entrySet()) {
                    links += sweep.deleteLinks(e.getKey(), e.getValue(), grace);
                }
            } while (batch.size() == config.batchSize());
            log.line("links: %d deleted", links - before);
        }

        private void sweepBlobs() {
            String after = "";
            BlobBatch batch;
            do {
                checkStop();
                batch = sweep.deleteBlobs(grace, after, config.batchSize());
                after = batch.last();
                blobs += batch.deleted().size();
                ObjectSweeper.Outcome o = objects.delete(batch.deleted().stream()
                        .map(b -> new ObjectSweeper.Doomed(b.objectId(), b.size())).toList(), log);
                objectsDeleted += o.deleted();
                bytes += o.bytes();
                objectFailures += o.failed();
            } while (batch.scanned() == config.batchSize());
            log.line("blobs: %d deleted", blobs);
        }

        private void reconcile() {
            int corrected = 0;
            for (long project : sweep.projects()) {
                checkStop();
                long delta = sweep.reconcile(project);
                if (delta != 0) {
                    corrected++;
                    if (corrected <= 20) {
                        log.line("usage of project %d corrected by %+d bytes", project, delta);
                    }
                }
            }
            log.line("usage: %d projects corrected", corrected);
        }
    }
}
