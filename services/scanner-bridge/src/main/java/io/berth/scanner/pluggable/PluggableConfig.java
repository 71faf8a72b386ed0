package io.berth.scanner.pluggable;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The built-in scanner served over the Pluggable Scanner API v1.1 at {@code /scanner/api/v1}
 * (docs/scanners.md), so Harbor or any other client of the spec can use it. Closed by default:
 * with no {@code api-key}, every request there is 401.
 */
@ConfigMapping(prefix = "berth.scanner.pluggable")
public interface PluggableConfig {

    /**
     * The key callers present, as {@code Authorization: Bearer <key>} or
     * {@code X-ScannerAdapter-API-Key: <key>} (Harbor's "Bearer" and "APIKey" auth); at least 16
     * characters. Unset (the default) or shorter: the API answers 401 to everyone.
     */
    Optional<String> apiKey();

    /** How many scans of this API run at once (each pulls and reads an image). */
    @WithDefault("1")
    int concurrentScans();

    /** How many accepted scans may wait for a slot; more are refused with 503 and Retry-After. */
    @WithDefault("8")
    int maxQueued();

    /** How many scans (waiting, running, or finished with their reports) are kept in memory at most. */
    @WithDefault("100")
    int maxReports();

    /** How long a finished scan's reports stay readable; after that its id is unknown (404). */
    @WithDefault("PT1H")
    Duration reportTtl();

    /** How long one scan may take, pull included, before it fails. */
    @WithDefault("PT10M")
    Duration scanTimeout();

    /** The {@code Refresh-After} of a 302 while a scan runs, in whole seconds. */
    @WithDefault("PT3S")
    Duration refreshAfter();

    /** How long connecting to the registry named in a scan request may take. */
    @WithDefault("PT10S")
    Duration registryConnectTimeout();

    /** How long the registry may take to answer one request (a blob's body then streams as long as it moves). */
    @WithDefault("PT60S")
    Duration registryTimeout();
}
