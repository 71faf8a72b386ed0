package io.berth.replicator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * How often a task that failed for a reason that may pass (the remote down, a 5xx) is tried
     * again, with backoff, before it fails for good.
     */
    @WithDefault("10")
    int maxRetries();

    /**
     * This berth's own external URLs (the gateway's, as clients and other registries reach it,
     * without a trailing slash). A policy in Harbor's shape names both registries by URL; the one
     * listed here is this berth, the other must be an endpoint (ADR 0039).
     */
    @WithDefault("http://127.0.0.1:5000,https://127.0.0.1:5443")
    List<String> localUrls();
    /** The first retry's delay; each next one doubles it, up to {@link #maxBackoff()}. */
    @WithDefault("PT1S")
    Duration firstBackoff();

    /** The longest delay between two attempts of a task. */
    @WithDefault("PT60S")
    Duration maxBackoff();

    /**
     * How long a worker holds a task it runs without renewing its lease (renewed every third of
     * it while the copy runs); a task whose lease ran out (its replica died) is taken over.
     */
    @WithDefault("PT60S")
    Duration lease();

    /** How often idle workers look for due tasks; work queued in this replica wakes them at once. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Whether this replica runs workers (tests that drive a worker pool themselves turn it off). */
    @WithDefault("true")
    boolean runWorkers();

    /** How often scheduled policies are checked for a cron time that has come. */
    @WithDefault("PT10S")
    Duration scheduleTick();

    /** Whether this replica fires scheduled policies (tests call the tick themselves). */
    @WithDefault("true")
    boolean scheduling();

    /** This berth, as both ends of a copy reach it: a registry (registry-api). */
    Registry registry();

    /** The account the replicator reads and writes this berth with. */
    Service service();

    /** Where the callers of the replication API are checked. */
    Auth auth();

    /** How endpoints' credentials are stored. */
    Credentials credentials();

    /** This berth's registry. */
    interface Registry {

        /** registry-api's base URL (the gateway's would do too); its token realm is auth. */
        @WithDefault("http://127.0.0.1:8081")
        String url();
    }

    /** The service account of the replicator (auth gives it pull, push and delete everywhere). */
    interface Service {

        /** Its user name. */
        @WithDefault("service$replicator")
        String username();

        /**
         * Its secret (BERTH_REPLICATOR_SERVICE_SECRET); unset, the replicator reaches this berth
         * anonymously, which sees public projects only and writes nothing (a warning at start).
         */
        Optional<String> secret();
    }

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
