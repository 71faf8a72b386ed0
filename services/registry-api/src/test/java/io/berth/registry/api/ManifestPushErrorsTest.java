package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rejected pushes: each gets its spec error, and none stores a manifest, moves a tag or writes
 * an event.
 */
@QuarkusTest
class ManifestPushErrorsTest {

    static ValidatableResponse put(String repo, String reference, String contentType, byte[] body) {
        return given().contentType(contentType).body(body)
                .when().put("/v2/" + repo + "/manifests/" + reference).then();
    }

    static void assertNothingStored(String repo) {
        assertEquals(0L, RegistryRows.scalar("""
                SELECT count(*) FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ?""", repo));
        assertEquals(List.of(), RegistryRows.outbox(repo));
    }

    @Test
    void pushByDigestWhoseBytesHaveAnotherDigestIsDigestInvalid() {
        Image img = ManifestPushPullTest.image("mismatch", MediaTypes.OCI_MANIFEST);
        assertError(put(img.repo(), ManifestJson.randomDigest().toString(), MediaTypes.OCI_MANIFEST,
                img.manifest()), RegistryErrorCode.DIGEST_INVALID)
                .body("errors[0].detail.computed", equalTo(img.digest().toString()));
        assertNothingStored(img.repo());
    }

    @Test
    void aMissingLayerIsManifestBlobUnknownAndTheTagStays() {
        Image img = ManifestPushPullTest.image("missing", MediaTypes.OCI_MANIFEST);
        put(img.repo(), "latest", MediaTypes.OCI_MANIFEST, img.manifest()).statusCode(201);
        int eventsBefore = RegistryRows.outbox(img.repo()).size();

        Descriptor config = RegistryRows.blob(img.repo(), MediaTypes.OCI_CONFIG, "{\"c\":\"missing\"}");
        Digest absent = ManifestJson.randomDigest();
        byte[] broken = ManifestJson.image(MediaTypes.OCI_MANIFEST, config,
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, absent, 10)));
        assertError(put(img.repo(), "latest", MediaTypes.OCI_MANIFEST, broken),
                RegistryErrorCode.MANIFEST_BLOB_UNKNOWN)
                .body("errors[0].detail.digest", equalTo(absent.toString()));

        given().when().get("/v2/" + img.repo() + "/manifests/latest").then().statusCode(200)
                .header("Docker-Content-Digest", img.digest().toString());
        assertEquals(eventsBefore, RegistryRows.outbox(img.repo()).size());
        assertNull(RegistryRows.scalar("SELECT id FROM manifests WHERE digest = ?",
                Digest.sha256(broken).toString()));
    }

    @Test
    void aBlobOfAnotherRepositoryIsNotEnough() {
        Image img = ManifestPushPullTest.image("otherrepo", MediaTypes.OCI_MANIFEST);
        String sibling = img.repo().replace("/app", "/sibling");
        RegistryRows.blob(sibling, MediaTypes.OCI_CONFIG, "{\"only\":\"sibling\"}");
        Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG,
                Digest.sha256("{\"only\":\"sibling\"}".getBytes(StandardCharsets.UTF_8)), 18);
        byte[] manifest = ManifestJson.image(MediaTypes.OCI_MANIFEST, config, List.of());
        assertError(put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, manifest),
                RegistryErrorCode.MANIFEST_BLOB_UNKNOWN)
                .body("errors[0].detail.digest", equalTo(config.digest().toString()));
    }

    @Test
    void anIndexWithAMissingChildIsManifestBlobUnknown() {
        String repo = TestProjects.create("orphan") + "/app";
        Digest child = ManifestJson.randomDigest();
        byte[] index = ManifestJson.index(MediaTypes.OCI_INDEX,
                List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, child, 500)));
        assertError(put(repo, "multi", MediaTypes.OCI_INDEX, index), RegistryErrorCode.MANIFEST_BLOB_UNKNOWN)
                .body("errors[0].detail.digest", equalTo(child.toString()));
        assertNothingStored(repo);
        // The rolled-back push did not leave the repository behind either.
        assertError(given().when().get("/v2/" + repo + "/tags/list").then(), RegistryErrorCode.NAME_UNKNOWN);
    }

    @Test
    void malformedJsonIsManifestInvalid() {
        String repo = TestProjects.create("malformed") + "/app";
        assertError(put(repo, "v1", MediaTypes.OCI_MANIFEST,
                "{\"schemaVersion\": 2, ".getBytes(StandardCharsets.UTF_8)),
                RegistryErrorCode.MANIFEST_INVALID);
        assertNothingStored(repo);
    }

    @Test
    void contentTypeDisagreeingWithMediaTypeIsManifestInvalid() {
        Image img = ManifestPushPullTest.image("ctype", MediaTypes.OCI_MANIFEST);
        assertError(put(img.repo(), "v1", MediaTypes.DOCKER_MANIFEST, img.manifest()),
                RegistryErrorCode.MANIFEST_INVALID)
                .body("errors[0].detail", containsString("does not match"));
        assertNothingStored(img.repo());
    }

    @Test
    void schema1IsUnsupported() {
        String repo = TestProjects.create("schema1") + "/app";
        byte[] v1 = """
                {"schemaVersion": 1, "name": "x/app", "tag": "v1", "architecture": "amd64",
                 "fsLayers": [], "history": []}""".getBytes(StandardCharsets.UTF_8);
        assertError(put(repo, "v1", MediaTypes.DOCKER_MANIFEST_V1_SIGNED, v1), RegistryErrorCode.UNSUPPORTED);
        assertNothingStored(repo);
    }

    @Test
    void invalidNamesAndReferences() {
        assertError(given().when().get("/v2/Bad/manifests/x").then(), RegistryErrorCode.NAME_INVALID);
        assertError(put("Bad", "x", MediaTypes.OCI_MANIFEST, new byte[] {'{', '}'}),
                RegistryErrorCode.NAME_INVALID);
        String repo = TestProjects.create("badref") + "/app";
        assertError(given().when().get("/v2/" + repo + "/manifests/-tag").then(), RegistryErrorCode.NAME_INVALID);
        assertError(given().when().get("/v2/" + repo + "/manifests/sha256:abc").then(),
                RegistryErrorCode.DIGEST_INVALID);
    }

    @Test
    void pushIntoAnUnknownProjectIsNameUnknown() {
        Image img = ManifestPushPullTest.image("noproject", MediaTypes.OCI_MANIFEST);
        String repo = "no-such-project-" + System.nanoTime() + "/app";
        assertError(put(repo, "v1", MediaTypes.OCI_MANIFEST, img.manifest()), RegistryErrorCode.NAME_UNKNOWN);
        assertEquals(List.of(), RegistryRows.outbox(repo));
    }

    @Test
    void unknownRoutesKeepTheirStatus() {
        given().when().put("/v2/_catalog").then().statusCode(405);
        given().when().get("/v2/x/nothing-here").then().statusCode(404);
    }
}
