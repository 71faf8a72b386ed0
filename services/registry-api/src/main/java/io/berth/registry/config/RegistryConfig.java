package io.berth.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the OCI Distribution API. Every key has a default that suits most installations. */
@ConfigMapping(prefix = "berth.registry")
public interface RegistryConfig {

    /** The largest manifest or index accepted on PUT, in bytes; larger ones get MANIFEST_INVALID. */
    @WithDefault("4194304")
    int manifestMaxBytes();

    /**
     * How many manifest GETs and HEADs may query the database at once; more wait their turn
     * (service/ReadGate). 0 means twice the number of cores.
     */
    @WithDefault("0")
    int manifestReadConcurrency();

    /** Upload sessions. */
    Uploads uploads();

    /** Blob downloads. */
    Blobs blobs();

    interface Uploads {
        /** An upload session untouched for this long is abandoned; gc purges its parts. */
        @WithDefault("PT24H")
        Duration idleTimeout();

        /**
         * Bytes per multipart part of a chunked upload: at least 5 MiB (S3's minimum for all but the
         * last part), at most 64 MiB. One PATCH holds about twice this in memory (the part being
         * uploaded and the one being read), which it reserves from memory-budget. Parts double in size every 1,000 parts (up to
         * 64 MiB), so the 10,000-part limit still allows blobs of about 490 GiB (at the default).
         */
        @WithDefault("8388608")
        int partSize();

        /**
         * How long a PATCH, PUT or monolithic POST may go without receiving a byte before it fails
         * (the session keeps what was stored). An idle timeout, so slow but steady pushes of any
         * size are never cut off.
         */
        @WithDefault("PT60S")
        Duration bodyIdleTimeout();

        /**
         * Heap that upload bodies on this replica may hold at once: part buffers plus unread
         * request bytes. A streamed PATCH at the default part size reserves about 20 MiB, a small
         * chunk only its size. Keep it well under the heap (the local stack gives registry-api
         * 256 MiB).
         */
        @WithDefault("134217728")
        long memoryBudget();

        /** How long an upload waits for budget before it is answered 429 TOOMANYREQUESTS. */
        @WithDefault("PT30S")
        Duration budgetWait();
    }

    interface Blobs {
        /**
         * Answer a blob GET with 307 to a presigned object-store URL instead of streaming it
         * through berth (distribution's {@code redirect} option). Off by default: the object
         * store is often not reachable by clients. A store without such URLs (a filesystem)
         * ignores it and berth sends the bytes ({@code BlobStore#redirect}, ADR 0023).
         */
        @WithDefault("false")
        boolean redirect();

        /** How long a presigned blob URL stays valid. */
        @WithDefault("PT5M")
        Duration redirectTtl();
    }

    /** Pull tracking: {@code manifests.last_pulled_at} and {@code artifact.pulled} events. */
    Pulls pulls();

    /**
     * A manifest GET is recorded in memory and written in batches, never on the request path
     * (service/PullRecorder, docs/adr/0009-pull-tracking.md).
     */
    interface Pulls {
        /**
         * How often recorded pulls are written: one UPDATE of {@code last_pulled_at} and one
         * outbox insert per flush. Also how stale {@code last_pulled_at} may be, and what a crash
         * can lose.
         */
        @WithDefault("PT5S")
        Duration flushInterval();

        /**
         * The most pull events held between flushes (one per manifest and tag pulled since the
         * last flush). Beyond it a pull of a manifest and tag not already held gets no event and
         * counts in {@code berth_pull_events_dropped_total}; its {@code last_pulled_at} is still
         * written.
         */
        @WithDefault("100000")
        int maxPending();
    }

    /** Read-only mode, switched by auth's {@code PUT /api/v1/system/settings} (docs/adr/0022). */
    ReadOnly readOnly();

    interface ReadOnly {
        /**
         * How often every replica reads the switch ({@code system_settings.read_only}); a change
         * reaches all of them within this interval plus one query.
         */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** The {@code Retry-After} of a write refused while read-only: a maintenance window's scale. */
        @WithDefault("PT60S")
        Duration retryAfter();
    }

    /** Bearer-token authentication of every request (Docker Registry token specification). */
    Auth auth();

    interface Auth {
        /**
         * Verify a token on every request. Off, anyone may read and write everything, so the
         * service refuses to start with it off unless {@link #insecureAllowOpen()} is set too
         * (docs/adr/0008-registry-auth.md). Nothing berth ships turns it off.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The second key that an open registry needs: with {@code enabled=false} alone the
         * service does not start; with both it starts and logs a warning that it is open.
         */
        @WithDefault("false")
        boolean insecureAllowOpen();

        /** The token endpoint named in the 401 challenge, as clients reach it. */
        @WithDefault("http://127.0.0.1:5000/service/token")
        String realm();

        /** The service in the challenge, and the audience a token must carry. */
        @WithDefault("berth")
        String service();

        /** auth's JWKS endpoint, fetched on first use and again for an unknown key id. */
        Optional<URI> jwksUrl();

        /** A JWKS document on disk, used instead of {@link #jwksUrl()} when set. */
        Optional<Path> jwksFile();

        /** How far clocks may disagree when checking a token's exp and nbf. */
        @WithDefault("PT30S")
        Duration clockSkew();

        /** The shortest time between two JWKS fetches (a rotated key appears within it). */
        @WithDefault("PT10S")
        Duration jwksMinRefresh();

        /**
         * How many verified tokens are remembered, so a token's signature is checked once and
         * not on every request carrying it (libs/security's VerifiedTokenCache; about 1.5 KiB
         * each).
         */
        @WithDefault("10000")
        int verifiedTokens();

        /**
         * auth's token endpoint as registry-api reaches it (an internal address in production):
         * a request with Basic credentials is authorised with the token auth gives for them
         * there (security/DelegatedCredentials, docs/adr/0020-basic-credentials-on-v2.md).
         */
        @WithDefault("http://127.0.0.1:8082/service/token")
        URI tokenUrl();

        /**
         * How long the token got for a Basic header and scopes is reused before auth is asked
         * again (never past the token's expiry). Revocations evict it within 2 s whatever this
         * is; 0 asks auth at every request.
         */
        @WithDefault("PT60S")
        Duration basicCacheTtl();

        /** How long auth's token endpoint may take before a Basic request is answered 503. */
        @WithDefault("PT5S")
        Duration tokenTimeout();

        /**
         * How often the revocation listener pings its PostgreSQL connection; cached Basic
         * tokens are used only while the last answered ping is at most three of these old.
         */
        @WithDefault("PT0.5S")
        Duration revocationPing();
    }
}
