package io.berth.replicator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Replication between berth and remote OCI registries. Every key has a documented default. */
@ConfigMapping(prefix = "berth.replicator")
public interface ReplicatorConfig {

    /** How many artifacts are copied at once, across all policies. */
    @WithDefault("4")
    int workers();

    /** How long to wait for a remote registry to answer one request. */
    @WithDefault("PT30S")
    Duration remoteTimeout();

    /** How often a failed copy is retried (with backoff) before the execution fails. */
    @WithDefault("5")
    int maxRetries();
}
