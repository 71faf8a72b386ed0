package io.berth.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The scan API ({@code /api/v1/.../scan}, {@code .../vulnerabilities}, {@code .../sbom},
 * {@code /api/v1/vulnerabilities/{id}/artifacts}): the queue priorities of the jobs it adds.
 * Workers take higher priorities first; scan-on-push jobs have 0.
 */
@ConfigMapping(prefix = "berth.scanner.api")
public interface ScanApiConfig {

    /** The priority of a manual scan of one artifact: someone is waiting for it. */
    @WithDefault("10")
    short manualPriority();

    /**
     * The priority of the jobs of a project's scan and of scan-all: below scan-on-push, so a bulk
     * scan never delays the report of what was just pushed; above the rescans of a database change.
     */
    @WithDefault("-1")
    short bulkPriority();
}
