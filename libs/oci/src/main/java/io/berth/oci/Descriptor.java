package io.berth.oci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A content descriptor (OCI image-spec {@code descriptor.md}): what a manifest says about one
 * piece of content it points to, a config, a layer, a child manifest or a subject. The content
 * itself is addressed by {@link #digest()}; the other fields describe it without fetching it.
 *
 * <p>The record only checks its invariants; the JSON rules (media-type grammar, which fields are
 * required) live in {@link ManifestParser}, which reports them as {@code MANIFEST_INVALID}.
 *
 * @param mediaType the media type of the referenced content; never null
 * @param digest the content's digest; never null
 * @param size the content's length in bytes, at least 0
 * @param artifactType the artifact type of the referenced content, or {@code null}
 * @param annotations arbitrary string metadata; never null, unmodifiable, in document order
 * @param platform the platform of a child of an index or manifest list, or {@code null} when
 *     absent or not a child of an index
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
        Map<String, String> annotations, Platform platform) {

    /**
     * Checks the invariants and freezes the annotations; {@code null} annotations become empty.
     *
     * @throws NullPointerException if {@code mediaType} or {@code digest} is null, or an
     *     annotation key or value is null
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        annotations = freeze(annotations);
    }

    /** A descriptor with only the three required fields. */
    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, Map.of(), null);
    }

    /**
     * An unmodifiable copy that keeps document order (Map.copyOf would not), so annotations
     * read back in the order they were pushed.
     */
    static Map<String, String> freeze(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "annotation key"),
                Objects.requireNonNull(v, "annotation value")));
        return Collections.unmodifiableMap(copy);
    }
}
