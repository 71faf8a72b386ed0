package io.berth.replicator.execution;

import io.berth.replicator.execution.TaskQueue.NewTask;
import io.berth.replicator.policy.Policy;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The execution engine's entry (ADR 0038): starts, stops and retries executions; their tasks
 * are run by the {@link Workers} of whichever replica claims them. A manual or scheduled
 * execution is written at once ({@code pending}) and its tasks are listed from the source on
 * one of two listing threads; an event's execution and its one task are written together by
 * {@link #onEvent}.
 */
@ApplicationScoped
public class Executions implements ExecutionControl {

    private static final Logger LOG = Logger.getLogger(Executions.class);
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "stopped");

    private final DataSource db;
    private final Candidates candidates;
    private final Workers workers;
    private final ExecutorService listing = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "berth-replication-listing");
        t.setDaemon(true);
        return t;
    });

    public Executions(DataSource db, Candidates candidates, Workers workers) {
        this.db = db;
        this.candidates = candidates;
        this.workers = workers;
    }

    void stop(@Observes ShutdownEvent stopping) {
        listing.shutdownNow();
        try {
            listing.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long start(Policy policy, Policy.TriggerType trigger, String by) {
        long id = Sql.inTransaction(db, c -> TaskQueue.insertExecution(c, policy.id(), trigger.wire(), null, "pending", by))
                .orElseThrow();
        LOG.infof("execution %d of replication policy %s started (%s%s)", id, policy.name(), trigger.wire(),
                by == null ? "" : " by " + by);
        listing.execute(() -> list(policy, id));
        return id;
    }

    /** Lists the execution's tasks and queues them; a source that cannot be listed fails it. */
    private void list(Policy policy, long id) {
        List<NewTask> tasks;
        try {
            tasks = candidates.list(policy);
        } catch (RuntimeException e) {
            LOG.warnf("execution %d of replication policy %s failed: its source cannot be listed: %s", id,
                    policy.name(), e.getMessage());
            Sql.inTransaction(db, c -> {
                if ("pending".equals(TaskQueue.lockExecution(c, id))) {
                    TaskQueue.setExecution(c, id, "failed", "the source cannot be listed: " + e.getMessage());
                }
                return null;
            });
            return;
        }
        String ended = Sql.inTransaction(db, c -> {
            if (!"pending".equals(TaskQueue.lockExecution(c, id))) {
                return "stopped"; // stopped (or deleted) while listing
            }
            TaskQueue.insertTasks(c, id, tasks);
            TaskQueue.setExecution(c, id, "running", tasks.size() + " tasks");
            return TaskQueue.endIfDone(c, id);
        });
        LOG.infof("execution %d of replication policy %s: %d tasks%s", id, policy.name(), tasks.size(),
                ended == null ? "" : ", " + ended);
        if (ended == null) {
            workers.wake();
        }
    }

    @Override
    public boolean stop(long executionId) {
        boolean stopping = Sql.inTransaction(db, c -> {
            String status = TaskQueue.lockExecution(c, executionId);
            if (status == null || ENDED.contains(status)) {
                return false;
            }
            TaskQueue.requestStop(c, executionId);
            if ("pending".equals(status)) {
                TaskQueue.setExecution(c, executionId, "stopped", "stopped on request");
            } else {
                TaskQueue.endIfDone(c, executionId);
            }
            return true;
        });
        if (stopping) {
            LOG.infof("execution %d was asked to stop", executionId);
        }
        return stopping;
    }

    @Override
    public int retry(long executionId) {
        int n = Sql.inTransaction(db, c -> {
            String status = TaskQueue.lockExecution(c, executionId);
            return status == null || !ENDED.contains(status) ? 0 : TaskQueue.requeueEnded(c, executionId);
        });
        if (n > 0) {
            LOG.infof("execution %d retried: %d tasks queued again", executionId, n);
            workers.wake();
        }
        return n;
    }

    /** An event's work: for each policy, an execution with its one task. */
    record EventWork(Policy policy, NewTask task) {}

    /**
     * Writes, in one transaction, an event's execution and task for each policy it concerns; a
     * policy that has an execution for this event already (a redelivery) gets nothing new. Wakes
     * this replica's workers.
     *
     * @return how many executions were made
     * @throws SQLException if the database failed (nothing was written)
     */
    int onEvent(String eventId, String actor, List<EventWork> work) throws SQLException {
        int made = Sql.transaction(db, c -> {
            int n = 0;
            for (EventWork w : work) {
                n += eventExecution(c, eventId, actor, w) ? 1 : 0;
            }
            return n;
        });
        if (made > 0) {
            workers.wake();
        }
        return made;
    }

    private static boolean eventExecution(Connection c, String eventId, String actor, EventWork w) throws SQLException {
        OptionalLong id = TaskQueue.insertExecution(c, w.policy().id(), Policy.TriggerType.EVENT_BASED.wire(), eventId,
                "running", actor);
        if (id.isEmpty()) {
            return false;
        }
        TaskQueue.insertTasks(c, id.getAsLong(), List.of(w.task()));
        return true;
    }
}
