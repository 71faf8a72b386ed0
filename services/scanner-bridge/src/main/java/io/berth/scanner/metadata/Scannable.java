package io.berth.scanner.metadata;

import io.berth.oci.MediaTypes;
import java.util.List;

/**
 * Which artifacts are scanned: images (an OCI or Docker image manifest whose config is an image
 * config) and indexes (their report is the union of their children's). Signatures, SBOMs, Helm
 * charts and other OCI artifacts hold no packages to inventory, and a job for them could only fail.
 */
public final class Scannable {

    private static final List<String> INDEXES = List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final List<String> IMAGES = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    private static final List<String> CONFIGS = List.of(MediaTypes.OCI_CONFIG, MediaTypes.DOCKER_CONFIG);

    /** The same rule as SQL over {@code manifests m}, for set-based enqueues and scan on push. */
    public static final String SQL = "(m.media_type IN (" + quoted(INDEXES) + ") OR (m.media_type IN (" + quoted(IMAGES)
            + ") AND coalesce(m.artifact_type, '" + MediaTypes.OCI_CONFIG + "') IN (" + quoted(CONFIGS) + ")))";

    private Scannable() {}

    /** Whether an artifact of this media type and effective artifact type is scanned. */
    public static boolean test(String mediaType, String artifactType) {
        return INDEXES.contains(mediaType)
                || IMAGES.contains(mediaType) && (artifactType == null || CONFIGS.contains(artifactType));
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }
}
