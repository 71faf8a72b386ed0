package io.berth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's view of the services behind it. Routes are configuration, not code: each
 * upstream is a name with one or more instance URLs (issue #5 adds the route table itself).
 */
@ConfigMapping(prefix = "berth.gateway")
public interface GatewayConfig {

    /**
     * The services the gateway routes to, by name, e.g.
     * {@code berth.gateway.upstreams.registry-api.instances=http://127.0.0.1:8081}.
     */
    Map<String, Upstream> upstreams();

    /** How long a readiness probe of one upstream instance may take. */
    @WithDefault("PT2S")
    Duration probeTimeout();

    interface Upstream {
        /** Base URLs of the instances that share this service's traffic. */
        List<URI> instances();
    }
}
