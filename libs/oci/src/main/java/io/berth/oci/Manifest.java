package io.berth.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed and validated manifest: an OCI image manifest or index, or a Docker schema 2
 * manifest or manifest list. {@link ManifestParser#parse} builds it from the bytes a client
 * pushed; the bytes themselves stay the source of truth (they are what is stored and served,
 * and what {@link #digest()} is computed over), this record is what berth reasons about.
 *
 * <p>Image manifests have a {@link #config()} and {@link #layers()}; indexes and lists have
 * {@link #manifests()}. Whichever does not apply is {@code null} or empty, never missing.
 *
 * @param kind the format; never null
 * @param mediaType the effective media type, {@code kind.mediaType()}: the body's
 *     {@code mediaType}, or the request's {@code Content-Type} when the body has none
 * @param config the image config descriptor; {@code null} for an index or list
 * @param layers the layer descriptors in order; empty for an index or list
 * @param manifests the child manifests of an index or list; empty for an image manifest
 * @param subject the manifest this one refers to (signatures, SBOMs: the referrers API), or
 *     {@code null}
 * @param artifactType the effective artifact type, as the distribution-spec's referrers API
 *     reports it: the manifest's own {@code artifactType} if set; else, for an image manifest,
 *     its config's media type; else (an index without one) {@code null}
 * @param annotations the manifest's annotations; never null, unmodifiable, in document order
 * @param digest the digest of the exact bytes received; never null
 * @param size the length of those bytes
 */
public record Manifest(ManifestKind kind, String mediaType, Descriptor config,
        List<Descriptor> layers, List<Descriptor> manifests, Descriptor subject,
        String artifactType, Map<String, String> annotations, Digest digest, long size) {

    /**
     * Checks the invariants and freezes the collections; {@code null} lists and maps become
     * empty.
     *
     * @throws NullPointerException if {@code kind}, {@code mediaType} or {@code digest} is
     *     null, if an image manifest has no config, or if a list holds null
     * @throws IllegalArgumentException if {@code size} is negative, or an index has a config
     *     or layers, or an image manifest has children
     */
    public Manifest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        layers = layers == null ? List.of() : List.copyOf(layers);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = Descriptor.freeze(annotations);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (kind.isIndex() && (config != null || !layers.isEmpty())) {
            throw new IllegalArgumentException(kind + " has no config or layers");
        }
        if (!kind.isIndex()) {
            Objects.requireNonNull(config, "config");
            if (!manifests.isEmpty()) {
                throw new IllegalArgumentException(kind + " has no child manifests");
            }
        }
    }

    /** Whether this is an index or manifest list (it has children, not config and layers). */
    public boolean isIndex() {
        return kind.isIndex();
    }

    /**
     * The blobs this manifest needs in its repository before it can be stored: the config, then
     * the layers in order. Empty for an index or list. The subject is not included: the
     * distribution-spec lets a manifest name a subject that does not exist (yet).
     */
    public List<Descriptor> blobReferences() {
        if (config == null) {
            return layers;
        }
        List<Descriptor> blobs = new ArrayList<>(layers.size() + 1);
        blobs.add(config);
        blobs.addAll(layers);
        return List.copyOf(blobs);
    }

    /**
     * The manifests this one needs in its repository before it can be stored: the children of
     * an index or list, in order. Empty for an image manifest; the subject is not included.
     */
    public List<Descriptor> manifestReferences() {
        return manifests;
    }
}
