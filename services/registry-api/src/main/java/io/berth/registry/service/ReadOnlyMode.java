package io.berth.registry.service;

import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.SystemSettingsRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether berth is read-only (docs/adr/0022), as this replica knows it. auth stores the switch in
 * {@code system_settings}; every replica reads it every {@code berth.registry.read-only.poll-interval}
 * (1 s), one indexed single-row query, so a change reaches all of them within about a second
 * without a connection held open for LISTEN. Requests only read a volatile field. The same query
 * tells {@link PullGatePolicies} when the pull gate's policies changed.
 *
 * <p>If the database cannot be read, the last known state stays: a registry whose database is
 * down refuses writes anyway, and flipping to writable on an error would defeat the switch.
 */
@ApplicationScoped
public class ReadOnlyMode {

    private static final Logger LOG = Logger.getLogger(ReadOnlyMode.class);

    private final SystemSettingsRepository settings;
    private final RegistryConfig.ReadOnly config;
    private final PullGatePolicies pullGate;
    private volatile boolean on;
    private ScheduledExecutorService poller;

    public ReadOnlyMode(SystemSettingsRepository settings, RegistryConfig config, PullGatePolicies pullGate) {
        this.settings = settings;
        this.config = config.readOnly();
        this.pullGate = pullGate;
    }

    void start(@Observes StartupEvent started) {
        refresh();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-read-only-poll");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Whether writes are refused now. */
    public boolean isOn() {
        return on;
    }

    /** What a refused write is answered with. */
    public ReadOnlyException refusal() {
        return new ReadOnlyException(Math.max(1, config.retryAfter().toSeconds()));
    }

    /**
     * Reads the switch now (on schedule; tests call it to skip the wait), and with it the pull
     * gate's version, which reloads {@link PullGatePolicies} when it moved: one query serves both.
     */
    public void refresh() {
        SystemSettingsRepository.Poll poll;
        try {
            poll = settings.poll();
        } catch (RuntimeException e) {
            LOG.warnf("could not read the read-only switch, keeping it %s: %s", on ? "on" : "off", e.getMessage());
            return;
        }
        if (poll.readOnly() != on) {
            LOG.infof("berth is %s", poll.readOnly() ? "read-only: writes are refused" : "writable again");
        }
        on = poll.readOnly();
        pullGate.versionSeen(poll.pullGateVersion());
    }
}
