package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyBlobIsStoredUnderItsDigestAndTheIndexNamesTheManifest() throws Exception {
        OciLayout.write(dir, 2, 1000, 5);
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        JsonNode entry = index.path("manifests").get(0);
        assertEquals(OciLayout.TAG, entry.path("annotations").path("org.opencontainers.image.ref.name").asText());
        JsonNode manifest = JSON.readTree(blob(entry.path("digest").asText()));
        assertEquals(entry.path("size").asLong(), blob(entry.path("digest").asText()).length);
        JsonNode config = JSON.readTree(blob(manifest.path("config").path("digest").asText()));
        assertEquals(2, manifest.path("layers").size());
        for (int i = 0; i < 2; i++) {
            JsonNode layer = manifest.path("layers").get(i);
            byte[] bytes = blob(layer.path("digest").asText());
            assertEquals(layer.path("size").asLong(), bytes.length);
            // An uncompressed layer's diff ID is its digest.
            assertEquals(layer.path("digest").asText(), config.path("rootfs").path("diff_ids").get(i).asText());
        }
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(dir.resolve("oci-layout")));
    }

    @Test
    void aLayerIsATarThatTarItselfReads() throws Exception {
        OciLayout.write(dir, 1, 123_457, 9);
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()));
        String hex = manifest.path("layers").get(0).path("digest").asText().substring("sha256:".length());
        Process tar = new ProcessBuilder("tar", "-tvf", dir.resolve("blobs/sha256/" + hex).toString())
                .redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), listing);
        assertTrue(listing.contains("123457") && listing.contains("layer-0.bin"), listing);
    }

    private byte[] blob(String digest) throws Exception {
        Digest d = Digest.parse(digest);
        byte[] bytes = Files.readAllBytes(dir.resolve("blobs/sha256/" + d.hex()));
        assertEquals(d, Digest.sha256(bytes), "the blob's name is its digest");
        return bytes;
    }
}
