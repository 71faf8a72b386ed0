package io.berth.replicator.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.replicator.remote.RegistryClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds test artifacts in a real registry through {@link RegistryClient}: images of random layers
 * (OCI manifests), indexes of several platforms, and referrers with a {@code subject}.
 */
public final class TestImages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A manifest pushed: its digest, media type, bytes and the blobs it names. */
    public record Pushed(Digest digest, String mediaType, byte[] bytes, List<Digest> blobs) {

        public long size() {
            return bytes.length;
        }
    }

    private TestImages() {}

    /** An image of {@code os/arch} with one random layer per size, tagged {@code tag} (null: by digest). */
    public static Pushed image(RegistryClient c, String repository, String tag, String platform, long seed,
            int... layerSizes) {
        String[] p = platform.split("/");
        byte[] config = ("{\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\",\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = blob(c, repository, config);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length));
        ArrayNode layers = m.putArray("layers");
        List<Digest> blobs = new ArrayList<>(List.of(configDigest));
        Random random = new Random(seed);
        for (int size : layerSizes) {
            byte[] layer = new byte[size];
            random.nextBytes(layer);
            Digest d = blob(c, repository, layer);
            layers.add(descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, d, size));
            blobs.add(d);
        }
        return put(c, repository, tag, MediaTypes.OCI_MANIFEST, m, blobs);
    }

    /** An index of {@code children} with their platforms ("os/arch"), tagged {@code tag}. */
    public static Pushed index(RegistryClient c, String repository, String tag, List<Pushed> children,
            List<String> platforms) {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = m.putArray("manifests");
        for (int i = 0; i < children.size(); i++) {
            Pushed child = children.get(i);
            ObjectNode d = descriptor(child.mediaType(), child.digest(), child.size());
            String[] p = platforms.get(i).split("/");
            d.putObject("platform").put("os", p[0]).put("architecture", p[1]);
            list.add(d);
        }
        return put(c, repository, tag, MediaTypes.OCI_INDEX, m, List.of());
    }

    /** A referrer of {@code subject} of type {@code artifactType} with one small blob, by digest only. */
    public static Pushed referrer(RegistryClient c, String repository, Pushed subject, String artifactType,
            String content) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Digest emptyDigest = blob(c, repository, empty);
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        Digest bodyDigest = blob(c, repository, body);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", artifactType);
        m.set("config", descriptor(MediaTypes.OCI_EMPTY, emptyDigest, empty.length));
        m.putArray("layers").add(descriptor("application/octet-stream", bodyDigest, body.length));
        m.set("subject", descriptor(subject.mediaType(), subject.digest(), subject.size()));
        return put(c, repository, null, MediaTypes.OCI_MANIFEST, m, List.of(emptyDigest, bodyDigest));
    }

    /**
     * Lists {@code referrers} of {@code subject} under the referrers tag schema's tag (what a
     * client does for a registry without the referrers API).
     */
    public static void fallbackTag(RegistryClient c, String repository, Pushed subject, List<Pushed> referrers,
            String artifactType) {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode list = m.putArray("manifests");
        for (Pushed r : referrers) {
            list.add(descriptor(r.mediaType(), r.digest(), r.size()).put("artifactType", artifactType));
        }
        put(c, repository, RegistryClient.referrersTag(subject.digest()), MediaTypes.OCI_INDEX, m, List.of());
    }

    public static Digest blob(RegistryClient c, String repository, byte[] bytes) {
        Digest d = Digest.sha256(bytes);
        c.pushBlob(repository, d, bytes.length, () -> new ByteArrayInputStream(bytes), null, 0);
        return d;
    }

    public static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
    }

    private static Pushed put(RegistryClient c, String repository, String tag, String mediaType, ObjectNode m,
            List<Digest> blobs) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Digest d = Digest.sha256(bytes);
        c.putManifest(repository, tag == null ? d.toString() : tag, mediaType, bytes);
        return new Pushed(d, mediaType, bytes, blobs);
    }
}
