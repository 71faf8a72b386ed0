package io.berth.replicator.execution;

import io.berth.replicator.config.ReplicatorConfig;
import io.berth.replicator.copy.Copier;
import io.berth.replicator.copy.CopyLog;
import io.berth.replicator.copy.CopyRefused;
import io.berth.replicator.copy.CopyRequest;
import io.berth.replicator.copy.CopyResult;
import io.berth.replicator.copy.CopyStopped;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.berth.replicator.remote.RemoteException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs one attempt of a claimed task and writes its outcome: a copy that succeeded (its bytes;
 * the lag since the source's commit when the task has one), a copy skipped because its kind is
 * not selected (succeeded, with a log line), a tag that exists with another digest and overwrite
 * off (failed, not retried), a stop (stopped), and a remote failure: retried with backoff (from
 * {@code first-backoff} doubling, at most {@code max-backoff}) while it may pass and attempts
 * remain ({@code max-retries}), else failed. Each attempt appends its lines, time-stamped, to the
 * task's log; {@code error} holds the last error. The task's end ends its execution when it was
 * the last.
 */
final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final DataSource db;
    private final PolicyRepository policies;
    private final Ends ends;
    private final Copier copier;
    private final ReplicatorConfig config;
    private final ReplicationMetrics metrics;
    private final StopFlags stops;

    TaskRunner(DataSource db, PolicyRepository policies, Ends ends, Copier copier, ReplicatorConfig config,
            ReplicationMetrics metrics) {
        this.db = db;
        this.policies = policies;
        this.ends = ends;
        this.copier = copier;
        this.config = config;
        this.metrics = metrics;
        this.stops = new StopFlags(db);
    }

    /** The outcome of one attempt. */
    private record Outcome(String status, Duration retryAfter, String error, long bytes) {}

    void run(Task task) {
        StringBuilder log = new StringBuilder();
        CopyLog lines = text -> {
            synchronized (log) {
                log.append(Instant.now()).append(' ').append(text).append('\n');
            }
        };
        lines.line("attempt " + task.attempts() + " of " + task);
        Optional<Policy> policy = policies.find(task.policyId());
        String name = policy.map(Policy::name).orElse("?");
        Outcome outcome;
        try {
            outcome = policy.isEmpty() ? new Outcome("failed", null, "the policy no longer exists", 0)
                    : attempt(task, policy.get(), lines);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed unexpectedly", task);
            outcome = new Outcome("failed", null, "unexpected failure: " + e, 0);
        }
        if (outcome.error() != null) {
            lines.line(outcome.retryAfter() == null ? outcome.error()
                    : outcome.error() + "; tried again in " + outcome.retryAfter().toMillis() + " ms");
        }
        end(task, name, outcome, log.toString());
    }

    private Outcome attempt(Task task, Policy policy, CopyLog log) {
        if (stops.stopRequestedNow(task.executionId())) {
            return new Outcome("stopped", null, null, 0);
        }
        Ends.Pair pair;
        try {
            pair = ends.of(policy);
            if (task.isDelete()) {
                boolean deleted = copier.delete(pair.destination(), task.dstRepository(), task.dstReference(), log);
                log.line(deleted ? "deleted " + task.dstRepository() + ":" + task.dstReference()
                        : task.dstRepository() + ":" + task.dstReference() + " was not there");
                return new Outcome("succeeded", null, null, 0);
            }
            boolean byDigest = task.srcReference().contains(":"); // a tag has no colon
            CopyResult r = copier.copy(new CopyRequest(pair.source(), task.srcRepository(), task.srcReference(),
                    pair.destination(), task.dstRepository(), byDigest ? null : task.dstReference(), policy.filters(),
                    policy.overwrite(), policy.speedKib(), () -> stops.stopRequested(task.executionId())), log);
            log.line((r.unchanged() ? "unchanged at the destination: " : "copied ") + r.digest() + ", " + r.bytes()
                    + " bytes (" + r.blobsCopied() + " blobs copied, " + r.blobsMounted() + " mounted, "
                    + r.blobsSkipped() + " present)");
            if (task.sourceTime() != null) {
                metrics.lag(policy.name(), Duration.between(task.sourceTime(), Instant.now()));
            }
            return new Outcome("succeeded", null, null, r.bytes());
        } catch (CopyRefused e) {
            if (e.reason() == CopyRefused.Reason.FILTERED) {
                log.line("skipped: " + e.getMessage());
                return new Outcome("succeeded", null, null, 0);
            }
            return new Outcome("failed", null, e.getMessage(), 0);
        } catch (CopyStopped e) {
            log.line("stopped: " + e.getMessage());
            return new Outcome("stopped", null, null, 0);
        } catch (RemoteException e) {
            String error = e.reason().wire() + ": " + e.getMessage();
            if (e.transientFailure() && task.attempts() <= config.maxRetries()) {
                return new Outcome("pending", backoff(task.attempts(), config.firstBackoff(), config.maxBackoff()),
                        error, 0);
            }
            return new Outcome("failed", null, e.transientFailure()
                    ? error + " (gave up after " + task.attempts() + " attempts)" : error, 0);
        }
    }

    /** The delay after attempt {@code n} (from 1): {@code first} doubling, at most {@code max}. */
    static Duration backoff(int n, Duration first, Duration max) {
        Duration d = first.multipliedBy(1L << Math.min(Math.max(n - 1, 0), 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    private void end(Task task, String policy, Outcome o, String log) {
        metrics.bytes(policy, o.bytes());
        metrics.ended(policy, o.retryAfter() != null ? "retried" : o.status());
        try {
            String ended = Sql.transaction(db, c -> {
                if (TaskQueue.lockExecution(c, task.executionId()) == null
                        || !TaskQueue.endAttempt(c, task, o.status(), o.retryAfter(), o.error(), o.bytes(), log)) {
                    return "taken over";
                }
                return o.retryAfter() != null ? null : TaskQueue.endIfDone(c, task.executionId());
            });
            if ("taken over".equals(ended)) {
                LOG.warnf("%s was taken over by another worker; its outcome here (%s) is dropped", task, o.status());
            } else if (ended != null) {
                LOG.infof("execution %d of policy %s %s", task.executionId(), policy, ended);
            }
        } catch (SQLException e) {
            // The lease runs out and another worker tries again: a copy is idempotent.
            LOG.warnf("%s: its outcome (%s) could not be written, it runs again when its lease ends: %s", task,
                    o.status(), e.getMessage());
        }
    }
}
