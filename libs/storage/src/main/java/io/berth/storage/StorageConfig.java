package io.berth.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where blobs live: an S3-compatible endpoint (MinIO in production, S3Proxy in the local stack).
 * The defaults match {@code ./berth up}; production sets {@code BERTH_STORAGE_*} variables.
 */
@ConfigMapping(prefix = "berth.storage")
public interface StorageConfig {

    /** Base URL of the S3 endpoint. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** Access key of the S3 identity berth uses. */
    @WithDefault("berth")
    String accessKey();

    /** Secret key of that identity. */
    @WithDefault("berth-local-secret")
    String secretKey();

    /** The one bucket that holds every blob and upload of this berth installation. */
    @WithDefault("berth")
    String bucket();

    /** Region sent in signatures; MinIO and S3Proxy accept any. */
    @WithDefault("us-east-1")
    String region();

    /**
     * Whether blob GETs from a plain-HTTP endpoint are relayed into the client's response at
     * Netty's level, without copying their bytes (libs/relay, ADR 0012). Off, they go through
     * Vert.x's HTTP client, should the relay ever misbehave; TLS endpoints always do.
     */
    @WithDefault("true")
    boolean directRelay();
}
