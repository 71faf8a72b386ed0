package io.berth.gc.metadata;

import java.time.Instant;

/**
 * One garbage collection run as {@code gc_runs} holds it and the API shows it.
 *
 * @param trigger {@code manual}, {@code schedule} or {@code event} (marks whose grace passed)
 * @param status {@code running}, {@code succeeded}, {@code failed} or {@code stopped}
 * @param requestedBy who started a manual run, or who set the schedule; null for an event run
 * @param endedAt null while running
 * @param bytesFreed bytes of the objects deleted from the store (for a dry run, that would be)
 * @param error why it failed, or null
 */
public record GcRun(long id, String trigger, String status, boolean dryRun, boolean deleteUntagged, long graceSeconds,
        boolean orphans, String requestedBy, Instant startedAt, Instant endedAt, Counts counts, String error) {

    /** What a run deleted (or, dry, would delete). */
    public record Counts(long manifestsDeleted, long linksDeleted, long blobsDeleted, long objectsDeleted,
            long bytesFreed) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);
    }

    /**
     * What a run is asked to do.
     *
     * @param orphans whether to list the whole store for objects no row names (slow on a large
     *     store; crash leftovers only)
     */
    public record Options(String trigger, boolean dryRun, boolean deleteUntagged, long graceSeconds, boolean orphans,
            String requestedBy) {}
}
