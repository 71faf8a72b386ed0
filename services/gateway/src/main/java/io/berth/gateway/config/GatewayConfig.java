package io.berth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's configuration. Routes are configuration, not code: an ordered table of path
 * patterns, each naming an upstream, and each upstream a list of instance URLs.
 */
@ConfigMapping(prefix = "berth.gateway")
public interface GatewayConfig {

    /**
     * The route table, tried in order; the first whose {@code path} (a regular expression over
     * the whole path) matches takes the request. A path no route matches is the gateway's own
     * ({@code /q/health}, {@code /q/metrics}) or 404.
     */
    List<Route> routes();

    /**
     * The services the gateway routes to, by name, e.g.
     * {@code berth.gateway.upstreams.registry-api.instances=http://127.0.0.1:8081}.
     */
    Map<String, Upstream> upstreams();

    /** How long a readiness probe of one upstream instance may take. */
    @WithDefault("PT2S")
    Duration probeTimeout();

    /** Connections to upstreams. */
    Client client();

    /** What one client may do. */
    Limits limits();

    /** Which proxies in front of the gateway are trusted for the client's address. */
    Forwarding forwarding();

    /** {@code Strict-Transport-Security} on HTTPS answers; zero leaves the header out. */
    @WithDefault("P365D")
    Duration hstsMaxAge();

    /** One JSON line per request on the logger {@code berth.access}. */
    @WithDefault("true")
    boolean accessLog();

    /** The web console's files, served on every path no route takes and no API reserves (ADR 0047). */
    Console console();

    interface Route {
        /** A regular expression the whole request path must match, e.g. {@code /v2(/.*)?}. */
        String path();

        /** The name of the upstream that serves it. */
        String upstream();
    }

    interface Upstream {
        /**
         * Base URLs of the instances that share this service's traffic. A host name that
         * resolves to several addresses (a Kubernetes headless service) counts as one instance
         * per address.
         */
        List<URI> instances();

        /**
         * Whether the gateway is ready only while this service has a live instance. Services that
         * pushes and pulls do not need (gc) are not required: the registry stays in service
         * while they restart, and their paths answer 503 meanwhile.
         */
        @WithDefault("true")
        boolean required();
    }

    interface Client {
        @WithDefault("PT5S")
        Duration connectTimeout();

        /**
         * Relay GETs and HEADs to plain-HTTP instances at Netty's level, without copying the
         * answer's body (libs/relay, ADR 0016). Off, or to a TLS instance, they go through
         * Vert.x's client as every other request does.
         */
        @WithDefault("true")
        boolean directRelay();

        /**
         * A connection to an upstream on which nothing moves for this long is closed. Idle, not
         * total: a long blob transfer that keeps moving is never cut off.
         */
        @WithDefault("PT5M")
        Duration idleTimeout();

        /** Connections kept per upstream instance. */
        @WithDefault("128")
        int poolSize();

        /** How long an instance that refused a connection is passed over. */
        @WithDefault("PT5S")
        Duration downFor();

        /** How often host names of instances are resolved again. */
        @WithDefault("PT30S")
        Duration resolveEvery();
    }

    interface Limits {
        /** The largest manifest a client may put (distribution's default is 4 MiB). */
        @WithDefault("4194304")
        long manifestMaxBytes();

        /** Requests per second one client address may make, on average. */
        @WithDefault("500")
        double requestsPerSecond();

        /** How many requests one client address may make at once above the average. */
        @WithDefault("1000")
        int burst();
    }

    interface Forwarding {
        /**
         * Addresses of proxies (an ingress, a load balancer) whose {@code X-Forwarded-For} and
         * {@code Forwarded: for=} name the client. From anyone else the connection's peer is the
         * client, for rate limits and the access log. The external scheme and host
         * ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code Forwarded}) are honoured
         * from anyone: they only shape what the caller itself is told.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Console {
        /**
         * Whether the gateway serves the console. Off, or built without the console's jar, the
         * console's paths answer 404 {@code NOT_FOUND}.
         */
        @WithDefault("true")
        boolean enabled();

        /** The classpath folder of the console's files; read once at start and kept in memory. */
        @WithDefault("META-INF/berth-console")
        String root();

        /**
         * The Keycloak realm's URL as browsers reach it (the {@code iss} of its tokens), told to
         * the console at {@code /console/config.json}; its origin is the one other origin the
         * console's Content-Security-Policy lets it talk to.
         */
        @WithDefault("http://127.0.0.1:8180/realms/berth")
        URI oidcIssuer();

        /** The realm's public client the console signs in with (authorization code and PKCE). */
        @WithDefault("berth-console")
        String clientId();
    }
}
