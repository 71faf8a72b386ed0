package io.berth.gc.metadata;

import java.time.Instant;
import java.util.List;

/**
 * One execution of a project's retention policy ({@code retention_executions}).
 *
 * @param trigger {@code manual} or {@code schedule}
 * @param status {@code running}, {@code succeeded} or {@code failed}
 * @param retained artifacts in scope it kept (so far, while running)
 * @param deleted artifacts it deleted, or would delete in a dry run
 * @param untouched the project's repositories no enabled rule selects
 * @param requestedBy who started it, or who set the schedule that did; null if unknown
 */
public record RetentionExecution(long id, long projectId, String trigger, boolean dryRun, String status,
        Instant startedAt, Instant endedAt, int retained, int deleted, List<String> untouched, String error,
        String requestedBy) {

    /**
     * What an execution decided for one artifact.
     *
     * @param repository its repository's path within the project
     * @param tags its tags when it was evaluated
     * @param retained kept (true) or deleted (false; in a dry run: would be deleted)
     * @param reason why, e.g. {@code rule 1: the 3 most recently pushed}
     */
    public record Item(String repository, String digest, List<String> tags, boolean retained, String reason) {}

    /** A page of the history, newest first, and how many there are in all. */
    public record Page(List<RetentionExecution> executions, long total) {}
}
