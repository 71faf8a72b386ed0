package io.berth.replicator.execution;

import io.berth.oci.Digest;
import io.berth.replicator.remote.RegistryClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Small OCI images made up for tests: one random layer, pushed with the client under test. */
final class Images {

    private Images() {}

    /** Pushes a new image to {@code repository}:{@code tag}; returns its manifest's digest. */
    static Digest push(RegistryClient client, String repository, String tag) {
        byte[] layer = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        blob(client, repository, layer);
        blob(client, repository, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digest.sha256(layer) + "\",\"size\":"
                + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        return client.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
    }

    private static void blob(RegistryClient client, String repository, byte[] bytes) {
        client.pushBlob(repository, Digest.sha256(bytes), bytes.length, () -> new ByteArrayInputStream(bytes), null, 0);
    }
}
