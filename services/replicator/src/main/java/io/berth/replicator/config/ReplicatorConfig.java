package io.berth.replicator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Replication between berth and remote OCI registries. Every key has a documented default. */
@ConfigMapping(prefix = "berth.replicator")
public interface ReplicatorConfig {

    /** How many artifacts are copied at once, across all policies. */
    @WithDefault("4")
    int workers();

    /**
     * How long to wait for a remote registry to answer one request (its headers; a blob's body
     * may take longer, as long as bytes keep coming).
     */
    @WithDefault("PT30S")
    Duration remoteTimeout();

    /** How long to wait for a TCP (and TLS) connection to a remote registry. */
    @WithDefault("PT10S")
    Duration remoteConnectTimeout();

    /** How often a failed copy is retried (with backoff) before the execution fails. */
    @WithDefault("5")
    int maxRetries();

    /**
     * This berth's own external URLs (the gateway's, as clients and other registries reach it,
     * without a trailing slash). A policy in Harbor's shape names both registries by URL; the one
     * listed here is this berth, the other must be an endpoint (ADR 0039).
     */
    @WithDefault("http://127.0.0.1:5000,https://127.0.0.1:5443")
    List<String> localUrls();

    /** Where the callers of the replication API are checked. */
    Auth auth();

    /** How endpoints' credentials are stored. */
    Credentials credentials();

    /** auth, which says who a caller is and whether they are a system administrator. */
    interface Auth {

        /** auth's base URL: a caller's credentials are shown to its {@code GET /api/v1/users/current}. */
        @WithDefault("http://127.0.0.1:8082")
        String url();

        /** How long to wait for auth's answer. */
        @WithDefault("PT10S")
        Duration timeout();
    }

    /** The encryption of endpoints' passwords (ADR 0037). */
    interface Credentials {

        /**
         * The secret endpoints' passwords are sealed under (AES-256-GCM of its SHA-256), at least 16
         * characters; long and random in production (BERTH_REPLICATOR_CREDENTIALS_SECRET). Changing
         * it makes the stored passwords unreadable: they must be entered again.
         */
        String secret();
    }
}
