package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pushing and pulling manifests: the happy paths, headers, bytes and media types. */
@QuarkusTest
class ManifestPushPullTest {

    static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    static final String HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    /** A repository in a fresh project, with one config and one layer linked. */
    record Image(String repo, byte[] manifest, Digest digest) {}

    static Image image(String prefix, String mediaType) {
        String repo = TestProjects.create(prefix) + "/app";
        boolean oci = mediaType.equals(MediaTypes.OCI_MANIFEST);
        Descriptor config = RegistryRows.blob(repo, oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + prefix + Math.random() + "\"}");
        Descriptor layer = RegistryRows.blob(repo, oci ? MediaTypes.OCI_LAYER_TAR_GZIP : MediaTypes.DOCKER_LAYER_GZIP,
                "layer-" + Math.random());
        byte[] manifest = ManifestJson.image(mediaType, config, List.of(layer));
        return new Image(repo, manifest, Digest.sha256(manifest));
    }

    static ExtractableResponse<Response> put(String repo, String reference, String contentType, byte[] body) {
        return given().contentType(contentType).body(body)
                .when().put("/v2/" + repo + "/manifests/" + reference)
                .then().extract();
    }

    @Test
    void pushByTagThenPullByTagAndDigestAnswersTheSameBytesAndHeaders() {
        Image img = image("push", MediaTypes.OCI_MANIFEST);
        given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .when().put("/v2/" + img.repo() + "/manifests/v1")
                .then().statusCode(201)
                .header("Location", "/v2/" + img.repo() + "/manifests/" + img.digest())
                .header("Docker-Content-Digest", img.digest().toString())
                .header("OCI-Subject", nullValue());

        for (String ref : List.of("v1", img.digest().toString())) {
            byte[] pulled = given().when().get("/v2/" + img.repo() + "/manifests/" + ref)
                    .then().statusCode(200)
                    // Exactly the stored type: the spec says no parameters (no charset).
                    .header("Content-Type", MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", img.digest().toString())
                    .header("Content-Length", String.valueOf(img.manifest().length))
                    .extract().asByteArray();
            assertArrayEquals(img.manifest(), pulled, "bytes pulled by " + ref);
        }
    }

    @Test
    void headAnswersDigestTypeAndLengthWithoutBody() {
        Image img = image("head", MediaTypes.OCI_MANIFEST);
        put(img.repo(), "latest", MediaTypes.OCI_MANIFEST, img.manifest());
        for (String ref : List.of("latest", img.digest().toString())) {
            given().when().head("/v2/" + img.repo() + "/manifests/" + ref)
                    .then().statusCode(200)
                    .contentType(MediaTypes.OCI_MANIFEST)
                    .header("Docker-Content-Digest", img.digest().toString())
                    .header("Content-Length", String.valueOf(img.manifest().length))
                    .body(emptyString());
        }
        given().when().head("/v2/" + img.repo() + "/manifests/nope")
                .then().statusCode(404).body(emptyString());
    }

    @Test
    void pushByDigestStoresWithoutTag() {
        Image img = image("bydigest", MediaTypes.OCI_MANIFEST);
        given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .when().put("/v2/" + img.repo() + "/manifests/" + img.digest())
                .then().statusCode(201)
                .header("Docker-Content-Digest", img.digest().toString());
        given().when().get("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(200);
        given().when().get("/v2/" + img.repo() + "/tags/list").then().statusCode(200)
                .body("tags.size()", equalTo(0));
    }

    @Test
    void pushBySha512DigestIsDigestedWithSha512() {
        Image img = image("sha512", MediaTypes.OCI_MANIFEST);
        Digest sha512 = Digest.compute(DigestAlgorithm.SHA512, img.manifest());
        given().contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .when().put("/v2/" + img.repo() + "/manifests/" + sha512)
                .then().statusCode(201)
                .header("Docker-Content-Digest", sha512.toString());
        given().when().get("/v2/" + img.repo() + "/manifests/" + sha512).then().statusCode(200)
                .header("Docker-Content-Digest", sha512.toString());
    }

    @Test
    void pushingAgainMovesTheTag() {
        Image first = image("retag", MediaTypes.OCI_MANIFEST);
        put(first.repo(), "latest", MediaTypes.OCI_MANIFEST, first.manifest());
        Descriptor config = RegistryRows.blob(first.repo(), MediaTypes.OCI_CONFIG, "{\"v\":2}");
        byte[] second = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of());
        assertEquals(201, put(first.repo(), "latest", MediaTypes.OCI_MANIFEST, second).statusCode());
        // The same bytes again are idempotent.
        assertEquals(201, put(first.repo(), "latest", MediaTypes.OCI_MANIFEST, second).statusCode());

        given().when().get("/v2/" + first.repo() + "/manifests/latest").then().statusCode(200)
                .header("Docker-Content-Digest", Digest.sha256(second).toString());
        given().when().get("/v2/" + first.repo() + "/manifests/" + first.digest()).then().statusCode(200);
        assertEquals(2L, RegistryRows.scalar("""
                SELECT count(*) FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ?""", first.repo()));
    }

    @Test
    void dockerManifestAndManifestListRoundTrip() {
        Image img = image("docker", MediaTypes.DOCKER_MANIFEST);
        assertEquals(201, put(img.repo(), "amd64", MediaTypes.DOCKER_MANIFEST, img.manifest()).statusCode());
        byte[] list = ManifestJson.index(MediaTypes.DOCKER_MANIFEST_LIST,
                List.of(ManifestJson.describe(MediaTypes.DOCKER_MANIFEST, img.manifest())));
        assertEquals(201, put(img.repo(), "multi", MediaTypes.DOCKER_MANIFEST_LIST, list).statusCode());

        given().when().get("/v2/" + img.repo() + "/manifests/amd64").then().statusCode(200)
                .contentType(MediaTypes.DOCKER_MANIFEST);
        byte[] pulled = given().when().get("/v2/" + img.repo() + "/manifests/multi").then()
                .statusCode(200).contentType(MediaTypes.DOCKER_MANIFEST_LIST).extract().asByteArray();
        assertArrayEquals(list, pulled);
    }

    @Test
    void ociIndexWithExistingChildrenIsStored() {
        Image img = image("index", MediaTypes.OCI_MANIFEST);
        put(img.repo(), img.digest().toString(), MediaTypes.OCI_MANIFEST, img.manifest());
        byte[] index = ManifestJson.index(MediaTypes.OCI_INDEX,
                List.of(ManifestJson.describe(MediaTypes.OCI_MANIFEST, img.manifest())));
        given().contentType(MediaTypes.OCI_INDEX).body(index)
                .when().put("/v2/" + img.repo() + "/manifests/multi")
                .then().statusCode(201);
        assertEquals(1L, RegistryRows.scalar("""
                SELECT count(*) FROM manifest_references mr JOIN manifests m ON m.id = mr.manifest_id
                WHERE m.digest = ? AND mr.kind = 'manifest'""", Digest.sha256(index).toString()));
    }

    @Test
    void helmChartArtifactIsStoredWithItsConfigTypeAsArtifactType() {
        String repo = TestProjects.create("helm") + "/charts/mychart";
        Descriptor config = RegistryRows.blob(repo, HELM_CONFIG, "{\"name\":\"mychart\",\"version\":\"0.1.0\"}");
        Descriptor chart = RegistryRows.blob(repo, HELM_CHART, "chart-tgz-" + Math.random());
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of(chart));
        assertEquals(201, put(repo, "0.1.0", MediaTypes.OCI_MANIFEST, manifest).statusCode());
        assertEquals(HELM_CONFIG, RegistryRows.scalar(
                "SELECT artifact_type FROM manifests WHERE digest = ?", Digest.sha256(manifest).toString()));
        given().when().get("/v2/" + repo + "/manifests/0.1.0").then().statusCode(200);
    }

    @Test
    void artifactWithEmptyConfigAndSubjectAnswersOciSubject() {
        Image img = image("subject", MediaTypes.OCI_MANIFEST);
        put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest());
        Descriptor empty = RegistryRows.blob(img.repo(), MediaTypes.OCI_EMPTY, "{}");
        assertEquals(ManifestJson.empty(), empty);
        Descriptor sig = RegistryRows.blob(img.repo(), "application/vnd.dev.cosign.simplesigning.v1+json", "sig");
        byte[] signature = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(sig),
                "application/vnd.dev.cosign.artifact.sig.v1+json",
                ManifestJson.describe(MediaTypes.OCI_MANIFEST, img.manifest()), Map.of("k", "v"));
        given().contentType(MediaTypes.OCI_MANIFEST).body(signature)
                .when().put("/v2/" + img.repo() + "/manifests/" + Digest.sha256(signature))
                .then().statusCode(201)
                .header("OCI-Subject", img.digest().toString());
    }

    @Test
    void subjectMayNotExistYet() {
        Image img = image("latesubject", MediaTypes.OCI_MANIFEST);
        Descriptor empty = RegistryRows.blob(img.repo(), MediaTypes.OCI_EMPTY, "{}");
        Digest unknown = ManifestJson.randomDigest();
        byte[] sbom = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(empty),
                "application/spdx+json", Descriptor.of(MediaTypes.OCI_MANIFEST, unknown, 123), Map.of());
        assertEquals(unknown.toString(),
                put(img.repo(), "sbom", MediaTypes.OCI_MANIFEST, sbom).header("OCI-Subject"));
    }

    @Test
    void anAcceptListWithoutTheStoredTypeStillGetsTheStoredManifest() {
        Image img = image("accept", MediaTypes.OCI_MANIFEST);
        put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest());
        byte[] pulled = given().accept(MediaTypes.DOCKER_MANIFEST)
                .when().get("/v2/" + img.repo() + "/manifests/v1")
                .then().statusCode(200).contentType(MediaTypes.OCI_MANIFEST)
                .extract().asByteArray();
        assertArrayEquals(img.manifest(), pulled);
    }

    @Test
    void unknownTagOrDigestIsManifestUnknownAndUnknownRepositoryIsNameUnknown() {
        Image img = image("unknown", MediaTypes.OCI_MANIFEST);
        put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest());
        assertError(given().when().get("/v2/" + img.repo() + "/manifests/v2").then(),
                RegistryErrorCode.MANIFEST_UNKNOWN);
        assertError(given().when().get("/v2/" + img.repo() + "/manifests/" + ManifestJson.randomDigest()).then(),
                RegistryErrorCode.MANIFEST_UNKNOWN);
        assertError(given().when().get("/v2/" + img.repo() + "-other/manifests/v1").then(),
                RegistryErrorCode.NAME_UNKNOWN);
        given().when().head("/v2/" + img.repo() + "-other/manifests/v1").then().statusCode(404);
    }
}
