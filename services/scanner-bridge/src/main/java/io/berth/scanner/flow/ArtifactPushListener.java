package io.berth.scanner.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventType;
import io.berth.scanner.config.ScannerConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Scan on push: hears {@code io.berth.artifact.pushed.v1} on {@code berth.artifacts} and queues
 * the manifest's scan ({@link PushTrigger}), then wakes this replica's workers. Every other
 * event, and anything that is not a berth event, is ignored. Kafka only wakes the queue: a
 * redelivered event joins the open job or finds the report, and a lost one leaves the artifact
 * unscanned until a manual scan or a rescan. {@code berth.scanner.scan-on-push=false} turns the
 * listener off for this replica whatever the projects say. A database outage is tried three
 * times, then logged, so the listener never stops on it.
 */
@ApplicationScoped
public class ArtifactPushListener {

    private static final Logger LOG = Logger.getLogger(ArtifactPushListener.class);

    private final PushTrigger trigger;
    private final ScanWorkers workers;
    private final ScannerConfig config;
    private final ObjectMapper json;

    public ArtifactPushListener(DataSource db, ScanWorkers workers, ScannerConfig config, ObjectMapper json) {
        this.trigger = new PushTrigger(db);
        this.workers = workers;
        this.config = config;
        this.json = json;
    }

    @Incoming("artifacts-in")
    @Blocking
    public void receive(String event) {
        if (!config.scanOnPush() || event == null) {
            return;
        }
        JsonNode e;
        try {
            e = json.readTree(event);
        } catch (IOException ex) {
            LOG.debugf("ignored an event that is not JSON: %s", ex.getMessage());
            return;
        }
        if (e == null || !EventType.ARTIFACT_PUSHED.wire().equals(e.path("type").asText())) {
            return;
        }
        String repository = e.path("data").path("repository").asText("");
        String digest = e.path("data").path("digest").asText("");
        if (repository.isEmpty() || digest.isEmpty()) {
            return;
        }
        OptionalLong job = queue(repository, digest);
        if (job.isPresent()) {
            LOG.debugf("scan job %d queued for %s@%s", job.getAsLong(), repository, digest);
            workers.wake();
        }
    }

    /** Three tries a second apart, then the push is left unscanned (logged): the listener never stops. */
    private OptionalLong queue(String repository, String digest) {
        for (int attempt = 1; ; attempt++) {
            try {
                return trigger.pushed(repository, digest);
            } catch (SQLException | RuntimeException e) {
                if (attempt == 3) {
                    LOG.warnf("could not queue the scan of %s@%s, left unscanned: %s", repository, digest, e.getMessage());
                    return OptionalLong.empty();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return OptionalLong.empty();
                }
            }
        }
    }
}
