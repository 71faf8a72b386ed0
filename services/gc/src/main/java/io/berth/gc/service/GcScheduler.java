package io.berth.gc.service;

import io.berth.cron.CronSchedule;
import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.GcRun;
import io.berth.gc.metadata.MarkRepository;
import io.berth.gc.metadata.ReadOnly;
import io.berth.gc.metadata.RunRepository;
import io.berth.gc.metadata.ScheduleRepository;
import io.berth.gc.metadata.ScheduleRepository.Schedule;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * What starts runs besides a person (docs/adr/0028). Every {@code berth.gc.tick}, each replica:
 * <ul>
 *   <li>starts the scheduled full run when the cron schedule names a time since it last fired;
 *       of several replicas exactly one claims each firing ({@link ScheduleRepository#claim});
 *   <li>starts a sweep (trigger {@code event}) when a mark has been due for the configured grace
 *       window, or a pending link has expired: what deletions heard on {@code berth.artifacts}
 *       marked comes back this way, without a full run.
 * </ul>
 * A run already running (anywhere) simply makes the tick skip.
 */
@ApplicationScoped
public class GcScheduler {

    private static final Logger LOG = Logger.getLogger(GcScheduler.class);

    private final GcConfig config;
    private final GcRunner runner;
    private final RunRepository runs;
    private final ScheduleRepository schedules;
    private final MarkRepository marks;
    private final DataSource db;
    private final boolean ticking;
    private ScheduledExecutorService ticks;

    public GcScheduler(GcConfig config, GcRunner runner, RunRepository runs, ScheduleRepository schedules,
            MarkRepository marks, DataSource db) {
        this.db = db;
        this.config = config;
        this.runner = runner;
        this.runs = runs;
        this.schedules = schedules;
        this.marks = marks;
        this.ticking = config.ticking();
    }

    void start(@Observes StartupEvent started) {
        if (!ticking) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-gc-tick"));
        long period = config.tick().toMillis();
        ticks.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }

    /**
     * One tick; never throws (a failing database is logged and tried again next tick). While
     * berth is read-only nothing starts: a firing of the schedule waits for the end of it.
     */
    public void tick() {
        try {
            if (ReadOnly.on(db)) {
                return;
            }
            if (scheduled(Instant.now()).isEmpty()) {
                due(Instant.now());
            }
        } catch (RuntimeException e) {
            LOG.warnf("gc tick failed (tried again in %s): %s", config.tick(), e.getMessage());
        }
    }

    /** Starts the scheduled run if one is due at {@code now}; returns it. */
    public Optional<GcRun> scheduled(Instant now) {
        Schedule s = schedules.get();
        if (s.cron() == null) {
            return Optional.empty();
        }
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(s.cron());
        } catch (IllegalArgumentException e) {
            LOG.warnf("the gc schedule is not valid and does not fire: %s", e.getMessage());
            return Optional.empty();
        }
        Instant from = s.lastFiredAt() != null ? s.lastFiredAt() : s.updatedAt();
        Optional<Instant> next = cron.next(from);
        if (next.isEmpty() || next.get().isAfter(now) || !schedules.claim(s.lastFiredAt(), now)) {
            return Optional.empty();
        }
        long grace = s.graceSeconds() != null ? s.graceSeconds() : config.grace().toSeconds();
        return start(new GcRun.Options("schedule", s.dryRun(), s.deleteUntagged(), grace, s.orphans(), s.updatedBy()));
    }

    /** Starts a sweep if marks or pending links have waited the grace window at {@code now}; returns it. */
    public Optional<GcRun> due(Instant now) {
        if (runs.running().isPresent()) {
            return Optional.empty();
        }
        Duration grace = config.grace();
        Optional<Instant> oldest = marks.oldestMark();
        boolean due = oldest.isPresent() && !oldest.get().isAfter(now.minus(grace));
        if (!due && !marks.expiredPendingLinks(grace)) {
            return Optional.empty();
        }
        return start(new GcRun.Options("event", false, false, grace.toSeconds(), false, null));
    }

    private Optional<GcRun> start(GcRun.Options options) {
        try {
            return Optional.of(runner.start(options));
        } catch (GcRunner.AlreadyRunning e) {
            LOG.infof("a %s gc run was due but %s", options.trigger(), e.getMessage());
            return Optional.empty();
        }
    }
}
