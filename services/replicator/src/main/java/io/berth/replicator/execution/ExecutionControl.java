package io.berth.replicator.execution;

import io.berth.replicator.policy.Policy;

/**
 * What the executions API asks of the execution engine (ADR 0038). Implemented by the engine
 * ({@code Executions}); the API reads executions and tasks from their tables itself.
 */
public interface ExecutionControl {

    /**
     * Starts an execution of {@code policy} (manual or scheduled): the row is written at once
     * (status {@code pending}) and its tasks are listed from the source in the background.
     *
     * @param by who started it (a user name, or null for the scheduler)
     * @return the new execution's id
     */
    long start(Policy policy, Policy.TriggerType trigger, String by);

    /**
     * Asks an execution to stop: its pending tasks become {@code stopped} at once, running ones end
     * at their next blob or chunk; the execution ends {@code stopped}.
     *
     * @return false if it had already ended
     */
    boolean stop(long executionId);

    /**
     * Queues an ended execution's failed (and stopped) tasks again with their attempts reset; the
     * execution runs again until they end.
     *
     * @return how many tasks were queued again
     */
    int retry(long executionId);
}
