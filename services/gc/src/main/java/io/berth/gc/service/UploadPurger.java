package io.berth.gc.service;

import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.UploadRows;
import io.berth.gc.metadata.UploadRows.Abandoned;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Aborts uploads left unfinished, as distribution's upload purging does (age
 * {@code berth.gc.uploads.max-age}, 168 h, checked every {@code berth.gc.uploads.interval},
 * 24 h, from a minute after start; {@code berth.gc.uploads.dry-run} only logs). Each session
 * row goes first, in its own short transaction; then its multipart upload is aborted, its tail
 * and any object it wrote are deleted. A crash in between leaves only objects nothing names,
 * which the next gc run deletes as orphans. Several replicas may purge at once: rows are taken
 * with SKIP LOCKED, and the store's deletes are idempotent.
 */
@ApplicationScoped
public class UploadPurger {

    /** What a purge did, or in a dry run would do. */
    public record Outcome(long sessions, long bytes, long failures) {}

    private static final Logger LOG = Logger.getLogger(UploadPurger.class);
    private static final int BATCH = 100;

    private final GcConfig config;
    private final UploadRows uploads;
    private final BlobStore store;
    private final MeterRegistry meters;
    private ScheduledExecutorService timer;

    public UploadPurger(GcConfig config, UploadRows uploads, BlobStore store, MeterRegistry meters) {
        this.config = config;
        this.uploads = uploads;
        this.store = store;
        this.meters = meters;
    }

    void start(@Observes StartupEvent started) {
        if (!config.ticking()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-gc-uploads"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                purge(config.uploads().maxAge(), config.uploads().dryRun());
            } catch (RuntimeException e) {
                LOG.warnf("upload purging failed (tried again in %s): %s", config.uploads().interval(), e.getMessage());
            }
        }, 60_000, config.uploads().interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Purges (or counts, dry) the sessions idle for {@code maxAge}. */
    public Outcome purge(Duration maxAge, boolean dryRun) {
        if (dryRun) {
            long[] idle = uploads.idle(maxAge);
            LOG.infof("upload purging (dry run): %d sessions idle for %s would be aborted (%d bytes received)",
                    idle[0], maxAge, idle[1]);
            return new Outcome(idle[0], idle[1], 0);
        }
        long sessions = 0;
        long bytes = 0;
        long failures = 0;
        List<Abandoned> batch;
        do {
            batch = uploads.purge(maxAge, BATCH);
            for (Abandoned a : batch) {
                sessions++;
                bytes += a.receivedBytes();
                try {
                    if (a.s3UploadId() != null) {
                        store.abortMultipart(new ObjectId(a.objectId()), a.s3UploadId());
                    }
                    store.deleteTail(a.id());
                    store.delete(new ObjectId(a.objectId()));
                } catch (RuntimeException e) {
                    failures++;
                    LOG.warnf("upload %s: its session is gone but its bytes could not all be removed"
                            + " (a later gc run deletes them as orphans): %s", a.id(), e.getMessage());
                }
            }
        } while (batch.size() == BATCH);
        if (sessions > 0) {
            LOG.infof("upload purging: %d sessions idle for %s aborted (%d bytes received)", sessions, maxAge, bytes);
        }
        meters.counter("berth.gc.uploads.purged").increment(sessions);
        return new Outcome(sessions, bytes, failures);
    }
}
