package io.berth.gc.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Online garbage collection, untagged clean-up, retention and upload purging. Every key has a documented default. */
@ConfigMapping(prefix = "berth.gc")
public interface GcConfig {

    /** How often a collection pass runs. Passes never block pushes. */
    @WithDefault("PT1H")
    Duration interval();

    /** Upload sessions idle for longer than this are purged with their parts. */
    @WithDefault("PT24H")
    Duration uploadMaxAge();

    /** An unreferenced blob younger than this is kept, so a push in flight can still link it. */
    @WithDefault("PT2H")
    Duration blobGracePeriod();
}
