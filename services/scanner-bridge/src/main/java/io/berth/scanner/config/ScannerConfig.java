package io.berth.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Scan-on-push through the Harbor Pluggable Scanner API v1.1. Every key has a documented default. */
@ConfigMapping(prefix = "berth.scanner")
public interface ScannerConfig {

    /**
     * Listen to pushes at all. When on, a push is scanned if its project's
     * {@code vulnerabilityPolicy.scanOnPush} is true; off, this replica ignores pushes whatever
     * the projects say (manual scans and rescans still run).
     */
    @WithDefault("true")
    boolean scanOnPush();

    /** How long one scan may take before it is failed (checked as layers are read). */
    @WithDefault("PT10M")
    Duration scanTimeout();

    /** How many scans run at once in each replica. */
    @WithDefault("2")
    int concurrentScans();
}
