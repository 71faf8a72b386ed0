package io.berth.registry.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Builds manifest documents for tests: OCI and Docker image manifests and indexes, with
 * optional artifactType, subject and annotations. Bytes are what gets pushed, so each builder
 * returns them exactly.
 */
public final class ManifestJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestJson() {}

    /** An image manifest of {@code mediaType} (OCI or Docker) with a config and layers. */
    public static byte[] image(String mediaType, Descriptor config, List<Descriptor> layers) {
        return image(mediaType, config, layers, null, null, Map.of());
    }

    /** An OCI image manifest with everything an artifact may carry. */
    public static byte[] image(String mediaType, Descriptor config, List<Descriptor> layers,
            String artifactType, Descriptor subject, Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", mediaType);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", descriptor(config));
        ArrayNode array = root.putArray("layers");
        layers.forEach(l -> array.add(descriptor(l)));
        if (subject != null) {
            root.set("subject", descriptor(subject));
        }
        if (!annotations.isEmpty()) {
            root.set("annotations", JSON.valueToTree(annotations));
        }
        return bytes(root);
    }

    /** An index or manifest list of {@code mediaType} listing {@code children}. */
    public static byte[] index(String mediaType, List<Descriptor> children) {
        ObjectNode root = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", mediaType);
        ArrayNode array = root.putArray("manifests");
        for (Descriptor d : children) {
            array.add(descriptor(d).set("platform", JSON.createObjectNode()
                    .put("architecture", "amd64").put("os", "linux")));
        }
        return bytes(root);
    }

    /** The descriptor of pushed manifest bytes. */
    public static Descriptor describe(String mediaType, byte[] manifest) {
        return Descriptor.of(mediaType, Digest.sha256(manifest), manifest.length);
    }

    /** A digest nothing has: for unknown subjects and missing blobs. */
    public static Digest randomDigest() {
        return Digest.sha256(java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The OCI empty descriptor ({@code {}}), the config of artifacts without one. */
    public static Descriptor empty() {
        return Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.EMPTY_DESCRIPTOR_DIGEST,
                MediaTypes.EMPTY_DESCRIPTOR_SIZE);
    }

    private static ObjectNode descriptor(Descriptor d) {
        return JSON.createObjectNode()
                .put("mediaType", d.mediaType())
                .put("digest", d.digest().toString())
                .put("size", d.size());
    }

    private static byte[] bytes(ObjectNode root) {
        return root.toPrettyString().getBytes(StandardCharsets.UTF_8);
    }
}
