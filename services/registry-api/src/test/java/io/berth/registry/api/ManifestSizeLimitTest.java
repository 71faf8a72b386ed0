package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Descriptor;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * berth.registry.manifest-max-bytes: a manifest over it is refused with 413 (the spec's
 * status) and MANIFEST_INVALID naming the limit; one within it is stored.
 */
@QuarkusTest
@TestProfile(ManifestSizeLimitTest.SmallLimit.class)
class ManifestSizeLimitTest {

    static final int LIMIT = 4096;

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.manifest-max-bytes", String.valueOf(LIMIT));
        }
    }

    /** A manifest with enough layers to be at least {@code minBytes} long. */
    static byte[] manifestOfAtLeast(String repo, int minBytes) {
        Descriptor config = RegistryRows.blob(repo, MediaTypes.OCI_CONFIG, "{\"size\":" + minBytes + "}");
        List<Descriptor> layers = new ArrayList<>();
        byte[] manifest;
        do {
            layers.add(RegistryRows.blob(repo, MediaTypes.OCI_LAYER_TAR_GZIP, repo + "-" + layers.size()));
            manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, layers);
        } while (manifest.length < minBytes);
        return manifest;
    }

    @Test
    void overTheLimitIs413ManifestInvalidAndStoresNothing() {
        String repo = TestProjects.create("toolarge") + "/app";
        byte[] manifest = manifestOfAtLeast(repo, LIMIT + 1);
        assertError(given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/big").then(), 413, RegistryErrorCode.MANIFEST_INVALID)
                .body("errors[0].detail.reason", containsString(String.valueOf(LIMIT)));
        assertEquals(List.of(), RegistryRows.outbox(repo));
    }

    @Test
    void withinTheLimitIsStored() {
        String repo = TestProjects.create("fits") + "/app";
        byte[] manifest = manifestOfAtLeast(repo, LIMIT - 600);
        assertEquals(true, manifest.length <= LIMIT, "test manifest must fit: " + manifest.length);
        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/small").then().statusCode(201);
    }
}
