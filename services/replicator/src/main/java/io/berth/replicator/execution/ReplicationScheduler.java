package io.berth.replicator.execution;

import io.berth.cron.CronSchedule;
import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The cron trigger: every {@code berth.replicator.schedule-tick} (unless
 * {@code berth.replicator.scheduling} is off, as in tests, which call {@link #tick(Instant)}),
 * starts an execution of each enabled scheduled policy whose cron names a time since it last
 * fired (or since it was last changed). Of several replicas exactly one fires each time: the
 * firing is claimed by a compare-and-set of {@code last_fired_at}, as gc's retention schedules.
 * Times missed while no replica ran fire once, not once each.
 */
@ApplicationScoped
public class ReplicationScheduler {

    private static final Logger LOG = Logger.getLogger(ReplicationScheduler.class);

    private final DataSource db;
    private final PolicyRepository policies;
    private final ExecutionControl executions;
    private final ReplicatorConfig config;
    private ScheduledExecutorService ticks;

    public ReplicationScheduler(DataSource db, PolicyRepository policies, ExecutionControl executions,
            ReplicatorConfig config) {
        this.db = db;
        this.policies = policies;
        this.executions = executions;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        if (!config.scheduling()) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-replication-schedule");
            t.setDaemon(true);
            return t;
        });
        long period = config.scheduleTick().toMillis();
        ticks.scheduleWithFixedDelay(() -> {
            try {
                tick(Instant.now());
            } catch (RuntimeException e) {
                LOG.warnf("replication schedule tick failed (tried again in %s): %s", config.scheduleTick(),
                        e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }

    /** Starts the executions due at {@code now} that this replica claims; returns their ids. */
    public List<Long> tick(Instant now) {
        List<Long> started = new ArrayList<>();
        for (Policy p : policies.enabled(Policy.TriggerType.SCHEDULED)) {
            due(p, now).ifPresent(started::add);
        }
        return started;
    }

    private Optional<Long> due(Policy p, Instant now) {
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(p.cron());
        } catch (IllegalArgumentException e) {
            LOG.warnf("the schedule of replication policy %s is not valid and does not fire: %s", p.name(),
                    e.getMessage());
            return Optional.empty();
        }
        Instant lastFired = lastFired(p.id());
        Instant from = lastFired != null ? lastFired : p.updatedAt();
        Optional<Instant> next = cron.next(from);
        if (next.isEmpty() || next.get().isAfter(now) || !claim(p.id(), lastFired, now)) {
            return Optional.empty();
        }
        return Optional.of(executions.start(p, Policy.TriggerType.SCHEDULED, null));
    }

    private Instant lastFired(long policyId) {
        return Sql.inTransaction(db, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_fired_at FROM replication_policies WHERE id = ?")) {
                s.setLong(1, policyId);
                try (var rs = s.executeQuery()) {
                    Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                    return t == null ? null : t.toInstant();
                }
            }
        });
    }

    /** Sets {@code last_fired_at} to {@code now} if it is still {@code seen}: true for the one replica that did. */
    private boolean claim(long policyId, Instant seen, Instant now) {
        return Sql.inTransaction(db, c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE replication_policies SET last_fired_at = ?
                    WHERE id = ? AND last_fired_at IS NOT DISTINCT FROM ?""")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setLong(2, policyId);
                s.setTimestamp(3, seen == null ? null : Timestamp.from(seen));
                return s.executeUpdate() == 1;
            }
        });
    }
}
