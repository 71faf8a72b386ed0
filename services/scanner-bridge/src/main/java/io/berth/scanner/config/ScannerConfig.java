package io.berth.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Scan-on-push through the Harbor Pluggable Scanner API v1.1. Every key has a documented default. */
@ConfigMapping(prefix = "berth.scanner")
public interface ScannerConfig {

    /** Scan every pushed image automatically (projects may opt out). */
    @WithDefault("true")
    boolean scanOnPush();

    /** How long one scan may take before it is marked failed. */
    @WithDefault("PT10M")
    Duration scanTimeout();

    /** How many scans run at once. */
    @WithDefault("2")
    int concurrentScans();
}
