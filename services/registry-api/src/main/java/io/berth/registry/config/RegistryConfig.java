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
