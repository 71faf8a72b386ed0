package io.berth.gc.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventType;
import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.MarkRepository;
import io.berth.gc.service.Daemons;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Hears deletions on {@code berth.artifacts} ({@code artifact.deleted}: a manifest or a whole
 * repository went) and marks what they left unreferenced, so the grace window counts from about
 * the delete, not from the next full run; {@link io.berth.gc.service.GcScheduler} sweeps it once
 * the window has passed. A burst of deletions is marked once, {@code berth.gc.event-mark-delay}
 * after its first event. Other events are ignored. Marking is idempotent, so a redelivered event
 * does no harm, and a lost one only means the next run marks it.
 */
@ApplicationScoped
public class DeletionListener {

    private static final Logger LOG = Logger.getLogger(DeletionListener.class);

    private final MarkRepository marks;
    private final GcConfig config;
    private final ObjectMapper json;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService marker = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-gc-mark"));

    public DeletionListener(MarkRepository marks, GcConfig config, ObjectMapper json) {
        this.marks = marks;
        this.config = config;
        this.json = json;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        marker.shutdownNow();
    }

    @Incoming("artifacts-in")
    public void receive(String event) {
        if (!isDeletion(event)) {
            return;
        }
        if (pending.compareAndSet(false, true)) {
            marker.schedule(this::mark, config.eventMarkDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean isDeletion(String event) {
        try {
            return event != null
                    && EventType.ARTIFACT_DELETED.wire().equals(json.readTree(event).path("type").asText());
        } catch (JsonProcessingException e) {
            LOG.debugf("ignored an event that is not JSON: %s", e.getMessage());
            return false;
        }
    }

    private void mark() {
        pending.set(false);
        try {
            long marked = marks.mark();
            LOG.debugf("marked %d links and blobs after deletions", marked);
        } catch (RuntimeException e) {
            LOG.warnf("could not mark after deletions (the next run will): %s", e.getMessage());
        }
    }
}
