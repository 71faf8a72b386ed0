package io.berth.replicator.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ServiceUnavailableException;
import io.berth.events.EventType;
import io.berth.replicator.execution.Executions.EventWork;
import io.berth.replicator.execution.TaskQueue.NewTask;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The event trigger (ADR 0038): hears {@code berth.artifacts} and gives every enabled
 * event-based push policy the event concerns an execution with one task: a push copies the tag
 * (an untagged push, by digest, only for policies that copy untagged artifacts or referrers); an
 * artifact or tag delete deletes it at the destination for policies that replicate deletions.
 * The event's id makes the execution once-only ({@code UNIQUE (policy_id, event_id)}): a
 * redelivered event adds nothing. The method returns, which acknowledges the record and lets its
 * offset be committed, only after the transaction committed: while PostgreSQL is down it tries
 * again with backoff (up to 30 s apart) and the partition waits; nothing is skipped, and the
 * consumer never stops on it. Unreadable records (not JSON, not berth's) are skipped, and so is
 * an event whose handling fails for another reason (logged as an error), so that one record
 * cannot hold its partition for ever.
 */
@ApplicationScoped
public class ArtifactEventListener {

    private static final Logger LOG = Logger.getLogger(ArtifactEventListener.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final PolicyRepository policies;
    private final Executions executions;
    private final ObjectMapper json;

    public ArtifactEventListener(PolicyRepository policies, Executions executions, ObjectMapper json) {
        this.policies = policies;
        this.executions = executions;
        this.json = json;
    }

    @Incoming("artifacts-in")
    @Blocking
    public void receive(String event) throws InterruptedException {
        JsonNode e;
        try {
            e = event == null ? null : json.readTree(event);
        } catch (IOException x) {
            LOG.debugf("ignored a record that is not JSON: %s", x.getMessage());
            return;
        }
        if (e == null || !e.isObject()) {
            return;
        }
        String type = e.path("type").asText("");
        boolean pushed = EventType.ARTIFACT_PUSHED.wire().equals(type);
        if (!pushed && !EventType.ARTIFACT_DELETED.wire().equals(type) && !EventType.TAG_DELETED.wire().equals(type)) {
            return;
        }
        String id = e.path("id").asText("");
        JsonNode data = e.path("data");
        String repository = data.path("repository").asText("");
        String digest = data.path("digest").asText("");
        String tag = data.path("tag").asText("");
        if (id.isEmpty() || repository.isEmpty() || digest.isEmpty()) {
            LOG.debugf("ignored a %s event without id, repository or digest", type);
            return;
        }
        Instant time = time(e.path("time").asText(""));
        String actor = data.path("actor").asText(null);
        for (long wait = 500; ; wait = Math.min(wait * 2, MAX_WAIT.toMillis())) {
            try {
                List<EventWork> work = work(type, repository, digest, tag.isEmpty() ? null : tag,
                        data.path("artifactType").asText(null), time);
                if (!work.isEmpty()) {
                    int made = executions.onEvent(id, actor, work);
                    LOG.debugf("event %s (%s %s): %d executions", id, type, repository, made);
                }
                return;
            } catch (SQLException | ServiceUnavailableException x) {
                LOG.warnf("event %s (%s %s) could not be stored, tried again in %d ms (the partition waits): %s", id,
                        type, repository, wait, x.getMessage());
                Thread.sleep(wait); // interrupted (shutdown): thrown, not acknowledged, delivered again later
            } catch (RuntimeException x) {
                // Not the database: retrying would block the partition for good on this one record.
                LOG.errorf(x, "event %s (%s %s) could not be handled and is skipped", id, type, repository);
                return;
            }
        }
    }

    private List<EventWork> work(String type, String repository, String digest, String tag, String artifactType,
            Instant time) {
        boolean pushed = EventType.ARTIFACT_PUSHED.wire().equals(type);
        List<EventWork> out = new ArrayList<>();
        for (Policy p : policies.enabled(Policy.TriggerType.EVENT_BASED)) {
            if (p.direction() != Policy.Direction.PUSH || !p.filters().matchesRepository(repository)) {
                continue;
            }
            if (tag != null ? !p.filters().matchesTag(tag) : pushed && !p.filters().untagged() && !p.filters().referrers()) {
                continue;
            }
            if (!pushed && !p.replicateDeletion()) {
                continue;
            }
            String reference = tag != null ? tag : digest;
            String destination = p.destinationRepository(repository);
            String project = repository.split("/", 2)[0];
            out.add(new EventWork(p, new NewTask(pushed ? "copy" : "delete", project, repository, reference, destination,
                    reference, digest, artifactType, pushed ? time : null)));
        }
        return out;
    }

    private static Instant time(String s) {
        try {
            return s.isEmpty() ? null : Instant.parse(s);
        } catch (DateTimeParseException x) {
            return null;
        }
    }
}
