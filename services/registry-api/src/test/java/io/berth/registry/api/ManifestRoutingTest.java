package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Repository names may contain the words the routes use ({@code manifests}, {@code tags},
 * {@code referrers}) as path components; the regex routes must still split them right. Also
 * checks the stored total size.
 */
@QuarkusTest
class ManifestRoutingTest {

    @Test
    void repositoryNamesContainingRouteWords() {
        String repo = TestProjects.create("routes") + "/manifests/tags/referrers";
        Descriptor config = RegistryRows.blob(repo, MediaTypes.OCI_CONFIG, "{\"routes\":true}");
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of());
        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/list")
                .then().statusCode(201);
        byte[] pulled = given().when().get("/v2/" + repo + "/manifests/list")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(manifest, pulled);
        given().when().get("/v2/" + repo + "/tags/list")
                .then().statusCode(200).body("tags", contains("list"));
        given().when().get("/v2/" + repo + "/referrers/" + Digest.sha256(manifest))
                .then().statusCode(200);
    }

    @Test
    void totalSizeCountsTheManifestAndEachDistinctBlobOnce() {
        String repo = TestProjects.create("totalsize") + "/app";
        Descriptor empty = RegistryRows.blob(repo, MediaTypes.OCI_EMPTY, "{}");
        Descriptor layer = RegistryRows.blob(repo, MediaTypes.OCI_LAYER_TAR, "0123456789");
        // The empty descriptor as config and layer: stored once, counted once.
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(empty, layer));
        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/v1").then().statusCode(201);
        assertEquals((long) manifest.length + 2 + 10, RegistryRows.scalar(
                "SELECT total_size FROM manifests WHERE digest = ?", Digest.sha256(manifest).toString()));
    }
}
