package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.TestTokens;
import io.berth.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An index whose children are not all in the repository (berth.registry.sparse-index-writers,
 * ADR 0040): the replicator's account may push one, with its original bytes, when a policy
 * copies some platforms only; anyone else must push every child first.
 */
@QuarkusTest
class SparseIndexTest {

    private static ValidatableResponse put(String subject, String repo, String reference, byte[] manifest) {
        String token = TestTokens.SIGNER.sign(subject, "berth", Duration.ofMinutes(5),
                List.of(Scope.parse("repository:" + repo + ":pull,push")));
        return given().header("Authorization", "Bearer " + token).contentType(MediaTypes.OCI_INDEX).body(manifest)
                .when().put("/v2/" + repo + "/manifests/" + reference).then();
    }

    private static byte[] index(Image present) {
        return ManifestJson.index(MediaTypes.OCI_INDEX, List.of(
                ManifestJson.describe(MediaTypes.OCI_MANIFEST, present.manifest()),
                new Descriptor(MediaTypes.OCI_MANIFEST, ManifestJson.randomDigest(), 1234, null, null, null)));
    }

    @Test
    void theReplicatorMayPushAnIndexWithAChildAbsentAndTheIndexKeepsItsDigest() {
        Image img = ManifestPushPullTest.image("sparse", MediaTypes.OCI_MANIFEST);
        ManifestPushPullTest.put(img.repo(), img.digest().toString(), MediaTypes.OCI_MANIFEST, img.manifest());
        byte[] index = index(img);
        String digest = Digest.sha256(index).toString();

        put("service$replicator", img.repo(), "multi", index).statusCode(201).header("Docker-Content-Digest", digest);
        given().header("Accept", MediaTypes.OCI_INDEX).when().get("/v2/" + img.repo() + "/manifests/multi").then()
                .statusCode(200).header("Docker-Content-Digest", digest);
    }

    @Test
    void anyoneElseMustPushEveryChildFirst() {
        Image img = ManifestPushPullTest.image("sparseno", MediaTypes.OCI_MANIFEST);
        ManifestPushPullTest.put(img.repo(), img.digest().toString(), MediaTypes.OCI_MANIFEST, img.manifest());
        byte[] index = index(img);
        assertError(put("alice", img.repo(), "multi", index), RegistryErrorCode.MANIFEST_BLOB_UNKNOWN);
        assertError(put("service$scanner-bridge", img.repo(), Digest.sha256(index).toString(), index),
                RegistryErrorCode.DENIED);
        given().when().head("/v2/" + img.repo() + "/manifests/multi").then().statusCode(404);
    }
}
