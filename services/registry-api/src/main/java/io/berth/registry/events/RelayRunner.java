package io.berth.registry.events;

import io.berth.events.relay.KafkaSink;
import io.berth.events.relay.OutboxRelay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the outbox relay in every registry-api replica (docs/adr/0017-outbox-relay.md): it
 * publishes the events registry-api and auth commit to the outbox, prunes published rows, and
 * reports the backlog as {@code berth_outbox_pending_rows} and
 * {@code berth_outbox_oldest_pending_seconds}, and the time from insert to Kafka as
 * {@code berth_outbox_publish_latency_seconds} (with its p50, p90 and p99).
 */
@ApplicationScoped
public class RelayRunner {

    private static final Logger LOG = Logger.getLogger(RelayRunner.class);

    private final DataSource db;
    private final MeterRegistry meters;
    private final boolean enabled;
    private final String bootstrapServers;
    private final Duration keepPublished;
    private final AtomicReference<OutboxRelay.Backlog> backlog = new AtomicReference<>(new OutboxRelay.Backlog(0, Duration.ZERO));
    private OutboxRelay relay;
    private ScheduledExecutorService chores;

    public RelayRunner(DataSource db, MeterRegistry meters,
            @ConfigProperty(name = "berth.outbox.relay.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "berth.outbox.keep-published", defaultValue = "PT1H") Duration keepPublished) {
        this.db = db;
        this.meters = meters;
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
        this.keepPublished = keepPublished;
    }

    void start(@Observes StartupEvent started) {
        Gauge.builder("berth.outbox.pending.rows", () -> backlog.get().rows())
                .description("outbox rows not yet published to Kafka").register(meters);
        Gauge.builder("berth.outbox.oldest.pending.seconds", () -> backlog.get().oldest().toMillis() / 1000.0)
                .description("age of the oldest outbox row not yet published").register(meters);
        if (!enabled) {
            return;
        }
        relay = new OutboxRelay(db, new KafkaSink(bootstrapServers, Duration.ofSeconds(30),
                Map.of("client.id", "berth-outbox-relay")), OutboxRelay.Settings.DEFAULT);
        Timer latency = Timer.builder("berth.outbox.publish.latency")
                .description("from an outbox row's insert to Kafka's acknowledgement of its event")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
        relay.onPublished(latency::record);
        relay.start("berth-outbox-relay");
        chores = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-outbox-chores");
            t.setDaemon(true);
            return t;
        });
        chores.scheduleWithFixedDelay(this::chores, 5, 10, TimeUnit.SECONDS);
    }

    private void chores() {
        try {
            backlog.set(relay.backlog());
            relay.prune(keepPublished, 10_000);
        } catch (Exception e) {
            LOG.warnf("outbox chores failed, trying again in 10 s: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (chores != null) {
            chores.shutdownNow();
        }
        if (relay != null) {
            relay.close();
        }
    }
}
