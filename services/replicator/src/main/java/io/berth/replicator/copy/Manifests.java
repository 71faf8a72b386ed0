package io.berth.replicator.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RegistryException;
import io.berth.replicator.remote.RemoteException;
import io.berth.replicator.remote.RemoteManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reading a source's manifests for the copy: {@code libs/oci}'s parser, plus what it leaves out. */
final class Manifests {

    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    /**
     * The manifest fetched from the source, parsed.
     *
     * @throws RemoteException REJECTED if it is not a manifest berth can copy (schema 1, invalid)
     */
    static Manifest parse(RemoteManifest m, String repository) {
        try {
            return ManifestParser.parse(m.bytes(), m.mediaType(), DigestAlgorithm.SHA256);
        } catch (RegistryException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "manifest " + m.digest() + " of " + repository
                    + " at the source cannot be copied: " + e.code() + " " + e.detail(), 0, e);
        }
    }

    /** The indexes of the layers that carry {@code urls} (non-distributable: fetched from there, never pushed). */
    static List<Integer> externalLayers(byte[] manifest) {
        List<Integer> external = new ArrayList<>();
        try {
            JsonNode layers = JSON.readTree(manifest).path("layers");
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).path("urls").size() > 0) {
                    external.add(i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // parsed before: cannot happen
        }
        return external;
    }
}
