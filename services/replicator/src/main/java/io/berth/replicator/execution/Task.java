package io.berth.replicator.execution;

import java.time.Instant;

/**
 * A claimed row of {@code replication_tasks}: what one worker does now, under its lease.
 *
 * @param operation {@code copy} or {@code delete}
 * @param attempts this attempt's number (1 for the first)
 * @param sourceTime when the source committed the artifact (an event's time), or null
 * @param owner the worker pool that holds the lease
 */
record Task(long id, long executionId, long policyId, String operation, String srcRepository, String srcReference,
        String dstRepository, String dstReference, int attempts, Instant sourceTime, String owner) {

    boolean isDelete() {
        return "delete".equals(operation);
    }

    @Override
    public String toString() {
        return "task " + id + " (" + operation + " " + srcRepository + ":" + srcReference + " -> " + dstRepository + ":"
                + dstReference + ")";
    }
}
