package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pushes with {@code ?tag=} parameters (distribution-spec v1.1 end-7b, answered in
 * {@code OCI-Tag}) and manifests listing non-distributable layers.
 */
@QuarkusTest
class ManifestTagParamTest {

    private static List<String> tags(String repo) {
        return given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .extract().jsonPath().getList("tags", String.class);
    }

    @Test
    void pushByDigestWithTagParametersMovesEveryTagAndConfirmsThem() {
        Image img = ManifestPushPullTest.image("tagparam", MediaTypes.OCI_MANIFEST);
        given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .queryParam("tag", "1.2.3").queryParam("tag", "1.2").queryParam("tag", "latest").queryParam("tag", "1.2")
                .when().put("/v2/" + img.repo() + "/manifests/" + img.digest())
                .then().statusCode(201)
                .header("Docker-Content-Digest", img.digest().toString())
                .header("OCI-Tag", "1.2.3, 1.2, latest");

        assertEquals(List.of("1.2", "1.2.3", "latest"), tags(img.repo()));
        for (String tag : List.of("1.2.3", "1.2", "latest")) {
            given().when().head("/v2/" + img.repo() + "/manifests/" + tag)
                    .then().statusCode(200).header("Docker-Content-Digest", img.digest().toString());
        }
        // One artifact.pushed per tag moved, each naming its tag.
        var pushed = RegistryRows.outbox(img.repo()).stream()
                .map(r -> r.payload().path("data").path("tag").asText()).toList();
        assertEquals(List.of("1.2.3", "1.2", "latest"), pushed);
    }

    @Test
    void anInvalidTagParameterRejectsThePushAndWritesNothing() {
        Image img = ManifestPushPullTest.image("tagparambad", MediaTypes.OCI_MANIFEST);
        assertError(given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .queryParam("tag", "good").queryParam("tag", "-bad")
                .when().put("/v2/" + img.repo() + "/manifests/" + img.digest())
                .then(), RegistryErrorCode.NAME_INVALID);
        given().when().head("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(404);
        assertEquals(List.of(), tags(img.repo()));
    }

    @Test
    void tagParametersOnAPushByTagAreNotApplied() {
        Image img = ManifestPushPullTest.image("tagparamtag", MediaTypes.OCI_MANIFEST);
        given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest()).queryParam("tag", "extra")
                .when().put("/v2/" + img.repo() + "/manifests/v1")
                .then().statusCode(201).header("OCI-Tag", nullValue());
        assertEquals(List.of("v1"), tags(img.repo()));
    }

    @Test
    void nonDistributableLayersNeedNotBePushed() {
        String repo = TestProjects.create("foreign") + "/app";
        Descriptor config = RegistryRows.blob(repo, MediaTypes.OCI_CONFIG, "{\"os\":\"windows\",\"n\":\"" + Math.random() + "\"}");
        Descriptor base = new Descriptor("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                ManifestJson.randomDigest(), 123456, null, Map.of(), null);
        Descriptor docker = new Descriptor(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP,
                ManifestJson.randomDigest(), 654321, null, Map.of(), null);
        Descriptor own = RegistryRows.blob(repo, MediaTypes.OCI_LAYER_TAR_GZIP, "layer-" + Math.random());
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of(base, docker, own));

        given().contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/win")
                .then().statusCode(201).header("Docker-Content-Digest", Digest.sha256(manifest).toString());
        given().when().get("/v2/" + repo + "/manifests/win").then().statusCode(200)
                .header("Content-Length", String.valueOf(manifest.length));

        // An ordinary layer that is missing is still refused.
        Descriptor missing = new Descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, ManifestJson.randomDigest(), 10, null, Map.of(), null);
        assertError(given().contentType(MediaTypes.OCI_MANIFEST)
                .body(ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of(base, missing)))
                .when().put("/v2/" + repo + "/manifests/broken").then(), RegistryErrorCode.MANIFEST_BLOB_UNKNOWN);
        given().when().get("/v2/" + repo + "/tags/list").then().body("tags", equalTo(List.of("win")));
    }
}
