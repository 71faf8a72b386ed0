package io.berth.events.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
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
 * Runs the outbox relay in a service that turns it on ({@code berth.outbox.relay.enabled=true}:
 * auth and registry-api, and every later service that writes outbox rows), in every replica
 * (docs/adr/0017-outbox-relay.md). The relays of all services share the 16 slots, so one
 * service's events keep flowing while another service is down. It prunes published rows, and
 * reports the backlog as {@code berth_outbox_pending_rows} and
 * {@code berth_outbox_oldest_pending_seconds}, the time from insert to Kafka as
 * {@code berth_outbox_publish_latency_seconds} (with its p50, p90 and p99), and its slots as
 * {@code berth_outbox_relay_slots}.
 *
 * <p>Threads: the relay's own ({@code berth-outbox-relay}) and one for chores
 * ({@code berth-outbox-chores}, one periodic task); nothing else.
 */
@ApplicationScoped
public class RelayRunner {

    private static final Logger LOG = Logger.getLogger(RelayRunner.class);

    private final Instance<DataSource> db;
    private final MeterRegistry meters;
    private final OutboxConfig config;
    private final String bootstrapServers;
    private final String service;
    private final AtomicReference<OutboxRelay.Backlog> backlog = new AtomicReference<>(new OutboxRelay.Backlog(0, Duration.ZERO));
    private OutboxRelay relay;
    private ScheduledExecutorService chores;

    public RelayRunner(Instance<DataSource> db, MeterRegistry meters, OutboxConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "berth") String service) {
        this.db = db;
        this.meters = meters;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.service = service;
    }

    void start(@Observes StartupEvent started) {
        if (!config.relay().enabled()) {
            return;
        }
        Gauge.builder("berth.outbox.pending.rows", () -> backlog.get().rows())
                .description("outbox rows not yet published to Kafka").register(meters);
        Gauge.builder("berth.outbox.oldest.pending.seconds", () -> backlog.get().oldest().toMillis() / 1000.0)
                .description("age of the oldest outbox row not yet published").register(meters);
        var r = config.relay();
        var settings = new OutboxRelay.Settings(500, Duration.ofSeconds(1), r.sendTimeout(), Duration.ofSeconds(2),
                r.heartbeat(), r.stale());
        relay = new OutboxRelay(db.get(), new KafkaSink(bootstrapServers, r.sendTimeout(),
                Map.of("client.id", service + "-outbox-relay")), settings, service);
        Gauge.builder("berth.outbox.relay.slots", relay, x -> x.slots().size())
                .description("outbox slots this replica's relay holds").register(meters);
        Timer latency = Timer.builder("berth.outbox.publish.latency")
                .description("from an outbox row's insert to Kafka's acknowledgement of its event")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
        relay.onPublished(latency::record);
        relay.start("berth-outbox-relay");
        chores = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "berth-outbox-chores");
            t.setDaemon(true);
            return t;
        });
        chores.scheduleWithFixedDelay(this::chores, 5, 10, TimeUnit.SECONDS);
        LOG.infof("outbox relay %s of %s started", relay.id(), service);
    }

    /** The running relay, or null when it is off. */
    public OutboxRelay relay() {
        return relay;
    }

    private void chores() {
        try {
            backlog.set(relay.backlog());
            relay.prune(config.keepPublished(), 10_000);
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
