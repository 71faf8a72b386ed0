package io.berth.gc.service;

import io.berth.cron.CronSchedule;
import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.RetentionExecution;
import io.berth.gc.metadata.RetentionPolicyRepository;
import io.berth.gc.metadata.RetentionPolicyRepository.Policy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts the executions of retention policies whose cron schedule names a time since they last
 * fired, every {@code berth.gc.tick} (unless {@code berth.gc.ticking} is off, as in tests, which
 * call {@link #tick(Instant)} themselves). Of several replicas exactly one claims each firing
 * (a compare-and-set on {@code last_fired_at}, {@link RetentionPolicyRepository#claim}); a firing while
 * the project's previous execution still runs is skipped, not queued. Scheduled executions are
 * never dry runs; their actor is whoever last set the policy.
 */
@ApplicationScoped
public class RetentionScheduler {

    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class);

    private final GcConfig config;
    private final RetentionPolicyRepository repository;
    private final RetentionService service;
    private ScheduledExecutorService ticks;

    public RetentionScheduler(GcConfig config, RetentionPolicyRepository repository, RetentionService service) {
        this.config = config;
        this.repository = repository;
        this.service = service;
    }

    void start(@Observes StartupEvent started) {
        if (!config.ticking()) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-retention-tick"));
        long period = config.tick().toMillis();
        ticks.scheduleWithFixedDelay(() -> {
            try {
                tick(Instant.now());
            } catch (RuntimeException e) {
                LOG.warnf("retention tick failed (tried again in %s): %s", config.tick(), e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }

    /** Starts every execution due at {@code now} that this replica claims; returns them. */
    public List<RetentionExecution> tick(Instant now) {
        List<RetentionExecution> started = new ArrayList<>();
        for (Policy p : repository.scheduled()) {
            due(p, now).ifPresent(started::add);
        }
        return started;
    }

    private Optional<RetentionExecution> due(Policy p, Instant now) {
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(p.cron());
        } catch (IllegalArgumentException e) {
            LOG.warnf("the retention schedule of project %s is not valid and does not fire: %s", p.project(),
                    e.getMessage());
            return Optional.empty();
        }
        Instant from = p.lastFiredAt() != null ? p.lastFiredAt() : p.updatedAt();
        Optional<Instant> next = cron.next(from);
        if (next.isEmpty() || next.get().isAfter(now) || !repository.claim(p.projectId(), p.lastFiredAt(), now)) {
            return Optional.empty();
        }
        try {
            return repository.project(p.projectId())
                    .map(project -> service.start(project, "schedule", false, p.updatedBy()));
        } catch (RetentionService.AlreadyRunning | RetentionService.NoPolicy e) {
            LOG.infof("a scheduled retention execution of project %s was due but %s", p.project(), e.getMessage());
            return Optional.empty();
        }
    }
}
