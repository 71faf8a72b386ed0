package io.berth.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Where blobs live: an S3-compatible endpoint (MinIO in production, S3Proxy in the local stack),
 * or a directory on a local disk or a shared mount ({@link Kind#FILESYSTEM}, ADR 0024). The
 * defaults match {@code ./berth up}; production sets {@code BERTH_STORAGE_*} variables.
 */
@ConfigMapping(prefix = "berth.storage")
public interface StorageConfig {

    /** Which backend holds the bytes: {@code s3} or {@code filesystem}. The other backend's keys are ignored. */
    @WithDefault("s3")
    Kind kind();

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

    /** The filesystem backend's settings, read only when {@link #kind()} is {@code filesystem}. */
    Filesystem filesystem();

    /** The backends berth can store bytes in. */
    enum Kind {
        /** Any S3-compatible object store ({@link S3BlobStore}). */
        S3,
        /** A directory on a local disk or a shared mount ({@link FilesystemBlobStore}). */
        FILESYSTEM
    }

    interface Filesystem {
        /**
         * The directory that holds every blob and upload (layout in {@link FilesystemLayout}).
         * It must exist: berth never creates it, so that a shared mount that failed to mount
         * shows as an unavailable store instead of filling the local disk under the mount point.
         * Every replica must see the same directory (NFS, CephFS, GlusterFS). Required with
         * {@code kind=filesystem}.
         */
        Optional<String> root();
    }

    /**
     * Whether blob GETs from a plain-HTTP endpoint are relayed into the client's response at
     * Netty's level, without copying their bytes (libs/relay, ADR 0012). Off, they go through
     * Vert.x's HTTP client, should the relay ever misbehave; TLS endpoints always do.
     */
    @WithDefault("true")
    boolean directRelay();
}
