package io.berth.scanner.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Publishing the built-in scanner's SBOMs as OCI artifacts ({@link SbomPublisher}, ADR 0035).
 * Where to: {@code berth.scanner.registry.url} ({@link RegistryClientConfig}).
 */
@ConfigMapping(prefix = "berth.scanner.sbom")
public interface SbomPublishConfig {

    /**
     * Run this replica's publisher. Off, SBOMs stay pending (nothing is lost) until a replica
     * with it on publishes them.
     */
    @WithDefault("true")
    boolean publish();

    /** How often the publisher looks for due SBOMs (one query on a partial index). */
    @WithDefault("PT2S")
    Duration pollInterval();

    /** The wait after a first failed push; it doubles with each further failure. */
    @WithDefault("PT30S")
    Duration retryBackoff();

    /** The longest wait between two tries: a pending SBOM is tried at least this often, forever. */
    @WithDefault("PT1H")
    Duration maxBackoff();

    /**
     * How long a claimed SBOM is this replica's before another may take it (a replica that died
     * mid-push): longer than a push takes.
     */
    @WithDefault("PT2M")
    Duration lease();

    /** At most this many SBOMs claimed per poll. */
    @WithDefault("10")
    int batch();
}
