package io.berth.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the OCI Distribution API. Every key has a default that suits most installations. */
@ConfigMapping(prefix = "berth.registry")
public interface RegistryConfig {

    /** The largest manifest or index accepted on PUT, in bytes; larger ones get MANIFEST_INVALID. */
    @WithDefault("4194304")
    int manifestMaxBytes();

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
         * last part), at most 64 MiB. One PATCH holds about twice this in memory (berth's part buffer
         * plus the copy the storage SDK signs). Parts double in size every 1,000 parts (up to
         * 64 MiB), so the 10,000-part limit still allows blobs of about 490 GiB (at the default).
         */
        @WithDefault("8388608")
        int partSize();
    }

    interface Blobs {
        /**
         * Answer a blob GET with 307 to a presigned object-store URL instead of streaming it
         * through berth (distribution's {@code redirect} option). Off by default: the object
         * store is often not reachable by clients.
         */
        @WithDefault("false")
        boolean redirect();

        /** How long a presigned blob URL stays valid. */
        @WithDefault("PT5M")
        Duration redirectTtl();
    }
}
