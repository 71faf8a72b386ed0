package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.metadata.AuditLogRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Purges audit entries older than {@code berth.auth.audit.retention} (90 days by default) every
 * {@code berth.auth.audit.purge-every}, 10,000 rows at a time until none is left. Every replica
 * runs it; a row deleted by one is simply not there for the others.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    private static final int BATCH = 10_000;

    private final AuditLogRepository log;
    private final Duration retention;
    private final Duration every;
    private ScheduledExecutorService purger;

    public AuditRetention(AuditLogRepository log, AuthConfig config) {
        this.log = log;
        this.retention = config.audit().retention();
        this.every = config.audit().purgeEvery();
    }

    void start(@Observes StartupEvent started) {
        purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-audit-retention");
            t.setDaemon(true);
            return t;
        });
        purger.scheduleWithFixedDelay(this::purge, 1, every.toSeconds(), TimeUnit.SECONDS);
    }

    /** Deletes what is past the retention; how many entries went. */
    public int purge() {
        int total = 0;
        try {
            for (int n = log.purge(retention, BATCH); n > 0; n = log.purge(retention, BATCH)) {
                total += n;
            }
            if (total > 0) {
                LOG.infof("purged %d audit entries older than %s", total, retention);
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging the audit log failed, trying again in %s: %s", every, e.getMessage());
        }
        return total;
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (purger != null) {
            purger.shutdownNow();
        }
    }
}
