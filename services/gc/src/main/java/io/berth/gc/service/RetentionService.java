package io.berth.gc.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.RetentionArtifacts;
import io.berth.gc.metadata.RetentionArtifacts.Outcome;
import io.berth.gc.metadata.RetentionArtifacts.Stored;
import io.berth.gc.metadata.RetentionExecution;
import io.berth.gc.metadata.RetentionRepository;
import io.berth.gc.metadata.RetentionPolicyRepository;
import io.berth.gc.metadata.RetentionPolicyRepository.Project;
import io.berth.gc.retention.Artifact;
import io.berth.gc.retention.Decision;
import io.berth.gc.retention.Evaluator;
import io.berth.gc.retention.RepositoryPlan;
import io.berth.gc.retention.RetentionPlan;
import io.berth.gc.retention.RetentionPolicy;
import io.berth.security.policy.ImmutableTagRule;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Executes projects' retention policies (docs/adr/0029, "Execution"), one execution per project at
 * a time across replicas (the database refuses a second running row), on this replica's one
 * retention thread. An execution reads the project's top-level artifacts in one query, evaluates
 * the policy with the project's immutable tag rules ({@link Evaluator}), records every decision,
 * and unless it is a dry run deletes what the plan deletes in batches of {@value #BATCH}, each
 * one transaction that deletes as a user's delete by digest does ({@link RetentionArtifacts}):
 * usage corrected, {@code artifact.deleted} with {@code reason: retention} in the outbox. An
 * artifact whose tags changed since the evaluation is kept, and its decision says so. Children of
 * a deleted index and referrers of a deleted image are left to gc's untagged clean-up, as after a
 * user's delete. A failure fails the execution; the batches committed before it stay.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    /** Manifests deleted per transaction: a push into the project waits for one batch at most. */
    static final int BATCH = 100;
    /** Decisions recorded per transaction. */
    static final int ITEM_BATCH = 1000;

    /** An execution could not start because one of the project is running. */
    public static final class AlreadyRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyRunning(String message) {
            super(message);
        }
    }

    /** An execution could not start because the project has no policy. */
    public static final class NoPolicy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoPolicy(String message) {
            super(message);
        }
    }

    private static final TypeReference<List<ImmutableTagRule>> RULES = new TypeReference<>() {};

    private final GcConfig config;
    private final RetentionPolicyRepository policies;
    private final RetentionRepository repository;
    private final RetentionArtifacts artifacts;
    private final GcRunner runner;
    private final RetentionMetrics metrics;
    private final ObjectMapper json;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Daemons.named("berth-retention"));
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(Daemons.named("berth-retention-heartbeat"));

    public RetentionService(GcConfig config, RetentionPolicyRepository policies, RetentionRepository repository, RetentionArtifacts artifacts, GcRunner runner,
            RetentionMetrics metrics, ObjectMapper json) {
        this.config = config;
        this.policies = policies;
        this.repository = repository;
        this.artifacts = artifacts;
        this.runner = runner;
        this.metrics = metrics;
        this.json = json;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        thread.shutdownNow();
        beats.shutdownNow();
    }

    /**
     * Starts an execution of the project's policy in the background.
     *
     * @param trigger {@code manual} or {@code schedule}
     * @param by who asked (or set the schedule), for the history and the events; null if unknown
     * @throws NoPolicy if the project has no policy
     * @throws AlreadyRunning if an execution of the project is running (on any replica)
     */
    public RetentionExecution start(Project project, String trigger, boolean dryRun, String by) {
        if (policies.policy(project.id()).isEmpty()) {
            throw new NoPolicy("project " + project.name() + " has no retention policy");
        }
        // A replica that died leaves a running row; one silent as long as a gc run may be is failed.
        RetentionExecution e = repository.start(project.id(), trigger, dryRun, by, runner.staleAfter())
                .orElseThrow(() -> new AlreadyRunning(repository.running(project.id())
                        .map(r -> "retention execution " + r.id() + " of project " + project.name()
                                + " is running; one at a time")
                        .orElse("a retention execution of project " + project.name() + " is running; one at a time")));
        thread.submit(() -> execute(project, e));
        return e;
    }

    /** Counts so far, read by the heartbeat thread; {@code lost} once another replica failed the execution. */
    private static final class Progress {
        volatile int retained;
        volatile int deleted;
        volatile boolean lost;
    }

    private void execute(Project project, RetentionExecution e) {
        Progress progress = new Progress();
        long period = config.heartbeat().toMillis();
        ScheduledFuture<?> beat = beats.scheduleWithFixedDelay(() -> heartbeat(e.id(), progress), period, period,
                TimeUnit.MILLISECONDS);
        List<String> untouched = List.of();
        String status = "succeeded";
        String error = null;
        try {
            RetentionPolicy policy = RetentionPolicy.fromJson(policies.policy(project.id())
                    .orElseThrow(() -> new IllegalStateException("the policy was deleted before the execution began"))
                    .policy());
            List<Stored> stored = artifacts.topLevel(project.id());
            Map<String, Long> ids = new HashMap<>();
            List<Artifact> all = new ArrayList<>(stored.size());
            for (Stored s : stored) {
                ids.put(key(s.artifact().repository(), s.artifact().digest()), s.manifestId());
                all.add(s.artifact());
            }
            RetentionPlan plan = new Evaluator(policy, immutableRules(project.immutableTagRules()))
                    .evaluate(Instant.now(), all);
            untouched = plan.untouched();
            record(e.id(), plan);
            progress.retained = plan.retainedCount();
            if (e.dryRun()) {
                progress.deleted = plan.deletedCount();
            } else {
                delete(project, e, plan.deletions(), ids, progress);
            }
        } catch (RuntimeException ex) {
            status = "failed";
            error = ex.getMessage();
            LOG.errorf(ex, "retention execution %d of project %s failed", e.id(), project.name());
        } finally {
            beat.cancel(false);
        }
        try {
            repository.finish(e.id(), status, progress.retained, progress.deleted, untouched, error);
        } catch (RuntimeException ex) {
            LOG.errorf("retention execution %d ended %s but could not be recorded (the next start fails it): %s",
                    e.id(), status, ex.getMessage());
        }
        metrics.executed(status, e.dryRun(), progress.deleted);
    }

    private void heartbeat(long id, Progress progress) {
        try {
            if (!repository.heartbeat(id, progress.retained, progress.deleted)) {
                progress.lost = true;
            }
        } catch (RuntimeException ex) {
            LOG.warnf("retention execution %d: heartbeat failed: %s", id, ex.getMessage());
        }
    }

    /** Deletes in batches, counting in {@code progress}; a kept artifact counts as retained. */
    private void delete(Project project, RetentionExecution e, List<Decision> deletions, Map<String, Long> ids,
            Progress progress) {
        for (int from = 0; from < deletions.size(); from += BATCH) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("the service is shutting down; " + progress.deleted
                        + " artifacts were deleted");
            }
            if (progress.lost) {
                throw new IllegalStateException("another replica failed this execution after missed heartbeats; "
                        + progress.deleted + " artifacts were deleted");
            }
            Map<Long, List<String>> expected = new LinkedHashMap<>();
            Map<Long, Artifact> byId = new HashMap<>();
            for (Decision d : deletions.subList(from, Math.min(from + BATCH, deletions.size()))) {
                long id = ids.get(key(d.artifact().repository(), d.artifact().digest()));
                expected.put(id, d.artifact().tags());
                byId.put(id, d.artifact());
            }
            Outcome o = artifacts.delete(project.id(), project.name(), expected, e.requestedBy(), this::immutableRules);
            progress.deleted += o.deleted().size();
            for (var k : o.kept().entrySet()) {
                Artifact a = byId.get(k.getKey());
                repository.amend(e.id(), a.repository(), a.digest(), true, k.getValue());
                progress.retained++;
            }
            for (long id : o.gone()) {
                Artifact a = byId.get(id);
                repository.amend(e.id(), a.repository(), a.digest(), false,
                        "no rule retains it; it was already deleted by someone else");
            }
        }
    }

    private void record(long id, RetentionPlan plan) {
        List<RetentionExecution.Item> items = new ArrayList<>();
        int seq = 0;
        for (RepositoryPlan r : plan.repositories()) {
            for (Decision d : r.decisions()) {
                items.add(new RetentionExecution.Item(r.repository(), d.artifact().digest(), d.artifact().tags(),
                        d.retained(), d.reason()));
                if (items.size() == ITEM_BATCH) {
                    repository.items(id, seq, items);
                    seq += items.size();
                    items = new ArrayList<>();
                }
            }
        }
        repository.items(id, seq, items);
    }

    /**
     * The project's immutable tag rules from their JSON; none if null or empty. Rules that cannot
     * be read fail the execution: deleting without knowing which tags are immutable is not safe.
     */
    List<ImmutableTagRule> immutableRules(String text) {
        if (text == null || text.isBlank() || text.equals("null")) {
            return List.of();
        }
        try {
            List<ImmutableTagRule> rules = json.readValue(text, RULES);
            return rules == null ? List.of() : rules;
        } catch (Exception ex) {
            throw new IllegalStateException("the project's immutable tag rules cannot be read: " + ex.getMessage(), ex);
        }
    }

    private static String key(String repository, String digest) {
        return repository + "@" + digest;
    }
}
