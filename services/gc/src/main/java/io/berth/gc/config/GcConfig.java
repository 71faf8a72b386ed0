package io.berth.gc.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Online garbage collection, untagged clean-up, upload purging and storage accounting
 * (docs/adr/0027, 0028). Every key has a documented default.
 */
@ConfigMapping(prefix = "berth.gc")
public interface GcConfig {

    /**
     * How long something must have been unreferenced before a run deletes it, when the run does
     * not say ({@code graceSeconds}). A push in flight can still link a blob inside it.
     */
    @WithDefault("PT2H")
    Duration grace();

    /**
     * The youngest an object with no row naming it may be and still be deleted as an orphan
     * (an upload writes its object before the row that names it); the grace window applies too.
     */
    @WithDefault("PT1H")
    Duration orphanMinAge();

    /** Rows changed per transaction: a push of the same project waits for at most one batch. */
    @WithDefault("500")
    int batchSize();

    /** Objects deleted from the store at once. */
    @WithDefault("16")
    int deleteConcurrency();

    /** How often a running run says it is alive; one silent for 12 times this is failed by the next. */
    @WithDefault("PT5S")
    Duration heartbeat();

    /**
     * How often each replica looks at the schedule, at marks whose grace has passed (which start
     * a run with trigger {@code event}) and at runs whose replica died; and at projects' retention
     * schedules (RetentionScheduler).
     */
    @WithDefault("PT15S")
    Duration tick();

    /**
     * Whether this replica ticks at all, for gc and retention schedules alike (tests turn it off
     * and call the schedulers themselves).
     */
    @WithDefault("true")
    boolean ticking();

    /** Deletions heard on {@code berth.artifacts} are marked together, at most this often. */
    @WithDefault("PT5S")
    Duration eventMarkDelay();

    /** How often {@code registry_storage_bytes_total} is read from the database. */
    @WithDefault("PT30S")
    Duration storageMetricsInterval();

    /** Lines of one run's log kept (the rest are counted, not stored). */
    @WithDefault("2000")
    int maxLogLines();

    /** Upload purging. */
    Uploads uploads();

    /** Where callers are checked. */
    Auth auth();

    interface Uploads {
        /** Upload sessions not written to for this long are aborted. */
        @WithDefault("PT168H")
        Duration maxAge();

        /** How often purging runs. */
        @WithDefault("PT24H")
        Duration interval();

        /** Only report what would be purged (in the log), deleting nothing. */
        @WithDefault("false")
        boolean dryRun();
    }

    interface Auth {
        /**
         * auth's base URL: a caller's credentials are shown to its {@code GET
         * /api/v1/users/current}, and only system administrators pass; for a project's retention
         * calls, also to its {@code GET /api/v1/projects/{p}}, and the project's projectAdmins pass.
         */
        @WithDefault("http://127.0.0.1:8082")
        String url();

        /** How long to wait for auth's answer. */
        @WithDefault("PT10S")
        Duration timeout();
    }
}
