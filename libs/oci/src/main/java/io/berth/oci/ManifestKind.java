package io.berth.oci;

import java.util.Optional;

/**
 * The four manifest formats berth stores under {@code /v2/<name>/manifests/}: a single-image
 * manifest or a list of manifests, each in its OCI and Docker schema 2 spelling. Each kind knows
 * its media type (the {@link MediaTypes} constant) and whether it is an index/list.
 *
 * <p>Nothing here fails: an unknown media type is simply an empty {@link Optional}.
 */
public enum ManifestKind {
    /** OCI image manifest; also carries artifacts, signatures and SBOMs. */
    OCI_MANIFEST(MediaTypes.OCI_MANIFEST, false, true),
    /** OCI image index: a multi-platform image or any list of manifests. */
    OCI_INDEX(MediaTypes.OCI_INDEX, true, true),
    /** Docker image manifest, schema 2. */
    DOCKER_MANIFEST(MediaTypes.DOCKER_MANIFEST, false, false),
    /** Docker manifest list, the Docker counterpart of an OCI index. */
    DOCKER_MANIFEST_LIST(MediaTypes.DOCKER_MANIFEST_LIST, true, false);

    private final String mediaType;
    private final boolean index;
    private final boolean oci;

    ManifestKind(String mediaType, boolean index, boolean oci) {
        this.mediaType = mediaType;
        this.index = index;
        this.oci = oci;
    }

    /** The media type, as the spec spells it, e.g. {@code application/vnd.oci.image.manifest.v1+json}. */
    public String mediaType() {
        return mediaType;
    }

    /** Whether this kind lists other manifests ({@code manifests}) instead of config and layers. */
    public boolean isIndex() {
        return index;
    }

    /**
     * Whether this is an OCI kind. Only OCI kinds define {@code artifactType} and
     * {@code subject}, and only they may omit {@code mediaType} from the body.
     */
    public boolean isOci() {
        return oci;
    }

    /**
     * The kind with this media type; parameters ({@code ; charset=utf-8}), surrounding blanks
     * and case are ignored, as for a {@code Content-Type} header. Empty for {@code null} and for
     * any other type, including Docker schema 1.
     */
    public static Optional<ManifestKind> fromMediaType(String mediaType) {
        String essence = MediaTypes.essence(mediaType);
        for (ManifestKind k : values()) {
            if (k.mediaType.equals(essence)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
