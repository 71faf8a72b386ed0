package io.berth.oci;

import java.util.Locale;

/**
 * The media types berth recognises for manifests, indexes, configs and layers, in both their
 * OCI and Docker schema 2 spellings, plus the OCI "empty" descriptor.
 *
 * <p>The helpers accept a {@code Content-Type} header value as sent: parameters after ';' are
 * ignored and the comparison is case-insensitive (RFC 6838). They never fail; {@code null} is
 * simply not a match.
 */
public final class MediaTypes {

    /** OCI image manifest. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index (multi-platform image, or any list of manifests). */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** OCI image configuration. */
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    /** OCI layer, uncompressed tar. */
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    /** OCI layer, gzip-compressed tar. */
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** OCI layer, zstd-compressed tar. */
    public static final String OCI_LAYER_TAR_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    /** OCI empty JSON object {@code {}}, used as the config of artifacts that have none. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    /** Docker image manifest, schema 2. */
    public static final String DOCKER_MANIFEST =
            "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker manifest list (the Docker counterpart of an OCI index). */
    public static final String DOCKER_MANIFEST_LIST =
            "application/vnd.docker.distribution.manifest.list.v2+json";
    /** Docker image manifest, schema 1 (unsigned); berth refuses it as UNSUPPORTED. */
    public static final String DOCKER_MANIFEST_V1 =
            "application/vnd.docker.distribution.manifest.v1+json";
    /** Docker image manifest, schema 1 signed with JWS; berth refuses it as UNSUPPORTED. */
    public static final String DOCKER_MANIFEST_V1_SIGNED =
            "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** Docker container image configuration. */
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    /** Docker layer, gzip-compressed tar. */
    public static final String DOCKER_LAYER_GZIP =
            "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** Docker foreign layer: fetched from its {@code urls}, never pushed to a registry. */
    public static final String DOCKER_FOREIGN_LAYER_GZIP =
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    /** Prefix of the OCI non-distributable layer types (tar, tar+gzip, tar+zstd; deprecated, still in use). */
    public static final String OCI_NONDISTRIBUTABLE_LAYER_PREFIX = "application/vnd.oci.image.layer.nondistributable.v1.tar";

    /** Digest of the OCI empty descriptor's content, the two bytes {@code {}}. */
    public static final Digest EMPTY_DESCRIPTOR_DIGEST = Digest.parse(
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    /** Size in bytes of the OCI empty descriptor's content. */
    public static final long EMPTY_DESCRIPTOR_SIZE = 2;

    private MediaTypes() {
    }

    /** Whether {@code mediaType} is a single-image manifest: OCI manifest or Docker schema 2. */
    public static boolean isManifest(String mediaType) {
        String t = essence(mediaType);
        return OCI_MANIFEST.equals(t) || DOCKER_MANIFEST.equals(t);
    }

    /** Whether {@code mediaType} is a list of manifests: OCI index or Docker manifest list. */
    public static boolean isIndex(String mediaType) {
        String t = essence(mediaType);
        return OCI_INDEX.equals(t) || DOCKER_MANIFEST_LIST.equals(t);
    }

    /**
     * Whether {@code mediaType} is a layer that is distributed outside registries (Windows base
     * layers, licensed content): a manifest may list it without the registry holding its bytes.
     */
    public static boolean isNonDistributableLayer(String mediaType) {
        String t = essence(mediaType);
        return t != null && (DOCKER_FOREIGN_LAYER_GZIP.equals(t) || t.startsWith(OCI_NONDISTRIBUTABLE_LAYER_PREFIX));
    }

    /** Whether {@code mediaType} is any manifest type berth stores under {@code /manifests/}. */
    public static boolean isManifestOrIndex(String mediaType) {
        return isManifest(mediaType) || isIndex(mediaType);
    }

    /** The type without parameters or surrounding blanks, lowercase; null for null. */
    static String essence(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        int semicolon = mediaType.indexOf(';');
        String t = semicolon < 0 ? mediaType : mediaType.substring(0, semicolon);
        return t.strip().toLowerCase(Locale.ROOT);
    }
}
