package io.berth.scanner.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The registry scanner-bridge pushes to: registry-api's {@code /v2} API, which owns manifests
 * (ARCHITECTURE.md). scanner-bridge writes there as a client, with its service account's token.
 */
@ConfigMapping(prefix = "berth.scanner.registry")
public interface RegistryClientConfig {

    /** registry-api's base URL (its own port, or the gateway's). */
    @WithDefault("http://127.0.0.1:8081")
    String url();

    /** How long one request to it may take. */
    @WithDefault("PT30S")
    Duration timeout();
}
