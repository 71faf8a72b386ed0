package io.berth.scanner.flow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The scan queue and its workers (docs/adr/0034, "The flow"). How many scans run at once per
 * replica and how long one may take are {@code berth.scanner.concurrent-scans} and
 * {@code berth.scanner.scan-timeout} ({@link io.berth.scanner.config.ScannerConfig}).
 */
@ConfigMapping(prefix = "berth.scanner.flow")
public interface FlowConfig {

    /** Run the workers in this replica. Every replica should; off only for a replica that must not scan. */
    @WithDefault("true")
    boolean workers();

    /**
     * How often the workers look for due jobs (one indexed query); a push heard on Kafka in this
     * replica wakes them at once.
     */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** How often a worker says its running jobs are alive ({@code scan_jobs.heartbeat_at}). */
    @WithDefault("PT5S")
    Duration heartbeat();

    /** A running job whose heartbeat is older than this is taken over by another worker (its owner died). */
    @WithDefault("PT60S")
    Duration takeoverAfter();

    /** Attempts per job before it is failed for good; a scan of bad input fails at its first. */
    @WithDefault("3")
    int maxAttempts();

    /** The wait before the second attempt; each further attempt waits four times longer. */
    @WithDefault("PT30S")
    Duration retryBackoff();

    /** How often an index's job checks whether its children's scans are done (a child's end wakes it sooner). */
    @WithDefault("PT5S")
    Duration indexRecheck();

    /** The longest an index's job waits for its children's scans before it fails. */
    @WithDefault("PT1H")
    Duration indexMaxWait();
}
