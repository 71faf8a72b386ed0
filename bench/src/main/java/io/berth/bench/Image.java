package io.berth.bench;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;

import java.nio.charset.StandardCharsets;

/**
 * A minimal OCI image around one layer: a config naming the layer's diff ID, and the manifest
 * of both. The layer is random bytes declared as an uncompressed tar, which registries store
 * without looking inside (as they must).
 *
 * @param config the config's bytes
 * @param manifest the manifest's bytes
 */
record Image(byte[] config, Digest configDigest, byte[] manifest, Digest manifestDigest) {

    static Image of(Payload.Blob layer) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layer.digest() + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_TAR + "\",\"digest\":\"" + layer.digest()
                + "\",\"size\":" + layer.size() + "}]}").getBytes(StandardCharsets.UTF_8);
        return new Image(config, configDigest, manifest, Digest.sha256(manifest));
    }
}
