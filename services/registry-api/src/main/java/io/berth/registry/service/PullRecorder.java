package io.berth.registry.service;

import io.berth.events.EventType;
import io.berth.oci.Reference;
import io.berth.oci.RepositoryName;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.events.ArtifactEventData;
import io.berth.registry.events.ArtifactPulledData;
import io.berth.registry.events.OutboxWriter;
import io.berth.registry.metadata.PullRepository;
import io.berth.registry.metadata.StoredManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Records manifest pulls in memory and writes them in batches: {@code manifests.last_pulled_at}
 * and {@code artifact.pulled} outbox events. A pull never writes to PostgreSQL on the request
 * path; every {@code berth.registry.pulls.flush-interval} one transaction runs one UPDATE for
 * all manifests pulled and one INSERT for all events (docs/adr/0009-pull-tracking.md).
 *
 * <p>Only a GET is a pull. Clients HEAD a tag constantly to see whether it moved (Docker,
 * Watchtower, Renovate, Kubernetes with {@code imagePullPolicy: Always}), and a HEAD transfers
 * nothing; Harbor counts GETs the same way.
 *
 * <p>Events are aggregated per manifest and reference (tag, or none for a pull by digest) per
 * flush, with a {@code count}: a hot tag pulled a thousand times between flushes is one row,
 * not a thousand. Held events are bounded by {@code max-pending}; beyond it a pull that would
 * need a new event is dropped and counted in {@code berth_pull_events_dropped_total}. The
 * last-pull times are a separate map, one entry per manifest pulled, and are never dropped.
 *
 * <p>What is held is lost if the process dies without shutting down: at most one flush
 * interval of pull times and events. On a database failure everything drained is put back for
 * the next flush.
 */
@ApplicationScoped
public class PullRecorder {

    private static final Logger LOG = Logger.getLogger(PullRecorder.class);

    /** What one event stands for: a manifest pulled by one tag, or by digest (tag null). */
    private record Key(long manifestId, String tag) {}

    /**
     * The pulls of one {@link Key} since the last flush. Immutable: a pull replaces the value
     * atomically ({@link ConcurrentHashMap#merge}), and a flush removes it atomically, so a pull
     * concurrent with a flush lands either in the drained value or in a new one, never nowhere.
     * It copies the fields it needs rather than holding the {@link StoredManifest}, whose
     * content would otherwise stay in memory until the flush.
     */
    private record Pending(String project, String repository, String digest, String mediaType,
            String artifactType, long size, long count, long first, long last) {

        Pending plus(Pending other) {
            return new Pending(project, repository, digest, mediaType, artifactType, size,
                    count + other.count, Math.min(first, other.first), Math.max(last, other.last));
        }
    }

    private final ConcurrentHashMap<Long, Long> latest = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Pending> pending = new ConcurrentHashMap<>();
    private final PullRepository pulls;
    private final OutboxWriter outbox;
    private final RegistryConfig.Pulls config;
    private final Counter dropped;
    private ScheduledExecutorService flusher;

    public PullRecorder(PullRepository pulls, OutboxWriter outbox, RegistryConfig config,
            MeterRegistry meters) {
        this.pulls = pulls;
        this.outbox = outbox;
        this.config = config.pulls();
        this.dropped = Counter.builder("berth.pull.events.dropped")
                .description("Pull events not written because max-pending were already held")
                .register(meters);
        Gauge.builder("berth.pull.events.pending", pending, Map::size)
                .description("Pull events held in memory until the next flush")
                .register(meters);
    }

    /**
     * Records a successful manifest GET of {@code manifest}, pulled from {@code name} by
     * {@code reference}. Never blocks on I/O: two map updates.
     */
    public void record(RepositoryName name, Reference reference, StoredManifest manifest) {
        long now = System.currentTimeMillis();
        latest.merge(manifest.id(), now, Long::max);
        Key key = new Key(manifest.id(), reference.isDigest() ? null : reference.toString());
        // size() may lag concurrent inserts by a few: max-pending is a bound, not an exact cap.
        if (!pending.containsKey(key) && pending.size() >= config.maxPending()) {
            dropped.increment();
            return;
        }
        pending.merge(key, new Pending(name.project(), name.value(), manifest.digest(),
                manifest.mediaType(), manifest.artifactType(), manifest.size(), 1, now, now),
                Pending::plus);
    }

    /**
     * Writes everything recorded so far in one transaction. Called on schedule and at
     * shutdown; tests call it directly.
     *
     * @return whether the write succeeded (trivially, when there was nothing to write)
     */
    public synchronized boolean flush() {
        List<Long> ids = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (Long id : latest.keySet()) {
            Long t = latest.remove(id);
            if (t != null) {
                ids.add(id);
                times.add(t);
            }
        }
        List<Map.Entry<Key, Pending>> events = new ArrayList<>();
        for (Key k : pending.keySet()) {
            Pending p = pending.remove(k);
            if (p != null) {
                events.add(Map.entry(k, p));
            }
        }
        if (ids.isEmpty() && events.isEmpty()) {
            return true;
        }
        events.sort(Comparator.comparingLong(e -> e.getValue().first()));
        List<OutboxWriter.Keyed> rows = new ArrayList<>(events.size());
        for (Map.Entry<Key, Pending> e : events) {
            rows.add(new OutboxWriter.Keyed(e.getValue().repository(), data(e.getKey(), e.getValue())));
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                pulls.updateLastPulled(ids.toArray(Long[]::new), times.toArray(Long[]::new));
                outbox.writeAll(EventType.ARTIFACT_PULLED, rows);
            });
            return true;
        } catch (RuntimeException e) {
            // Put everything back, merged with what arrived meanwhile; the next flush retries.
            for (int i = 0; i < ids.size(); i++) {
                latest.merge(ids.get(i), times.get(i), Long::max);
            }
            for (Map.Entry<Key, Pending> ev : events) {
                pending.merge(ev.getKey(), ev.getValue(), Pending::plus);
            }
            LOG.warnf("could not write %d pull times and %d pull events, retrying next flush: %s",
                    ids.size(), events.size(), e.getMessage());
            return false;
        }
    }

    void start(@Observes StartupEvent start) {
        long every = Math.max(1, config.flushInterval().toMillis());
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-pull-flush");
            t.setDaemon(true);
            return t;
        });
        // An exception escaping the task would cancel every later run: flush() catches its own.
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.error("pull flush failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops the schedule, then writes what is left while the database is still there. */
    void stop(@Observes ShutdownEvent stop) {
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    private static ArtifactPulledData data(Key key, Pending p) {
        return new ArtifactPulledData(
                new ArtifactEventData(p.project(), p.repository(), p.digest(), p.mediaType(),
                        p.artifactType(), key.tag(), p.size()),
                p.count(), Instant.ofEpochMilli(p.first()).toString(),
                Instant.ofEpochMilli(p.last()).toString());
    }
}
