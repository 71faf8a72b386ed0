package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.TestTokens;
import io.berth.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The write rule of scanner-bridge's service account (berth.registry.restricted-writers): by
 * digest, untagged, with a subject, of artifactType application/vnd.cyclonedx+json, or 403.
 */
@QuarkusTest
class RestrictedWriterTest {

    static final String SCANNER = "service$scanner-bridge";
    static final String CYCLONEDX = "application/vnd.cyclonedx+json";

    record Setup(Image image, Descriptor subject, Descriptor empty, Descriptor sbom) {}

    private static Setup setup(String prefix) {
        Image img = ManifestPushPullTest.image(prefix, MediaTypes.OCI_MANIFEST);
        ManifestPushPullTest.put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest());
        return new Setup(img, ManifestJson.describe(MediaTypes.OCI_MANIFEST, img.manifest()),
                RegistryRows.blob(img.repo(), MediaTypes.OCI_EMPTY, "{}"),
                RegistryRows.blob(img.repo(), CYCLONEDX, "{\"bomFormat\":\"CycloneDX\",\"n\":" + Math.random() + "}"));
    }

    private static String bearer(String subject, String repo) {
        return "Bearer " + TestTokens.SIGNER.sign(subject, "berth", Duration.ofMinutes(5),
                List.of(Scope.parse("repository:" + repo + ":pull,push")));
    }

    private static ValidatableResponse put(String subject, String repo, String reference, byte[] manifest) {
        return given().header("Authorization", bearer(subject, repo)).contentType(MediaTypes.OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/" + reference).then();
    }

    private static byte[] sbom(Setup s, String artifactType, Descriptor subject) {
        return ManifestJson.image(MediaTypes.OCI_MANIFEST, s.empty(), List.of(s.sbom()), artifactType, subject,
                Map.of("org.opencontainers.image.description", "an SBOM " + Math.random()));
    }

    @Test
    void anSbomAttachedByDigestIsAccepted() {
        Setup s = setup("rwok");
        byte[] m = sbom(s, CYCLONEDX, s.subject());
        put(SCANNER, s.image().repo(), Digest.sha256(m).toString(), m).statusCode(201)
                .header("OCI-Subject", s.image().digest().toString());
        given().queryParam("artifactType", CYCLONEDX).when()
                .get("/v2/" + s.image().repo() + "/referrers/" + s.image().digest()).then().statusCode(200)
                .body("manifests[0].digest", equalTo(Digest.sha256(m).toString()));
    }

    @Test
    void aTaggedPushIsRefused() {
        Setup s = setup("rwtag");
        byte[] m = sbom(s, CYCLONEDX, s.subject());
        assertError(put(SCANNER, s.image().repo(), "sbom", m), RegistryErrorCode.DENIED)
                .body("errors[0].message", containsString("by digest only"));
        // Nor a tag through ?tag= on a push by digest.
        assertError(put(SCANNER, s.image().repo(), Digest.sha256(m) + "?tag=latest", m), RegistryErrorCode.DENIED)
                .body("errors[0].message", containsString("without tags"));
        // Nothing was stored: the tag still names the image.
        given().when().head("/v2/" + s.image().repo() + "/manifests/" + Digest.sha256(m)).then().statusCode(404);
    }

    @Test
    void aPushWithoutSubjectIsRefused() {
        Setup s = setup("rwnosubject");
        byte[] m = sbom(s, CYCLONEDX, null);
        assertError(put(SCANNER, s.image().repo(), Digest.sha256(m).toString(), m), RegistryErrorCode.DENIED)
                .body("errors[0].message", containsString("with a subject"))
                .body("errors[0].message", containsString(SCANNER));
    }

    @Test
    void anotherArtifactTypeIsRefused() {
        Setup s = setup("rwtype");
        byte[] m = sbom(s, "application/vnd.dev.cosign.artifact.sig.v1+json", s.subject());
        assertError(put(SCANNER, s.image().repo(), Digest.sha256(m).toString(), m), RegistryErrorCode.DENIED)
                .body("errors[0].message", containsString("application/vnd.cyclonedx+json"));
        // An untyped image with a subject (its config's media type is its type) is refused too.
        byte[] untyped = ManifestJson.image(MediaTypes.OCI_MANIFEST,
                RegistryRows.blob(s.image().repo(), MediaTypes.OCI_CONFIG, "{\"os\":\"linux\",\"n\":" + Math.random() + "}"),
                List.of(s.sbom()), null, s.subject(), Map.of());
        assertError(put(SCANNER, s.image().repo(), Digest.sha256(untyped).toString(), untyped), RegistryErrorCode.DENIED);
        // And an index carrying the right type.
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"artifactType\":\"" + CYCLONEDX
                + "\",\"manifests\":[],\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + s.image().digest() + "\",\"size\":" + s.image().manifest().length + "}}").getBytes();
        assertError(given().header("Authorization", bearer(SCANNER, s.image().repo())).contentType(MediaTypes.OCI_INDEX)
                .body(index).when().put("/v2/" + s.image().repo() + "/manifests/" + Digest.sha256(index)).then(),
                RegistryErrorCode.DENIED).body("errors[0].message", containsString("OCI image manifests only"));
    }

    @Test
    void otherSubjectsAreUnaffected() {
        Setup s = setup("rwothers");
        byte[] untagged = sbom(s, "application/vnd.example.anything", null);
        put("robot$ci", s.image().repo(), Digest.sha256(untagged).toString(), untagged).statusCode(201);
        put("alice", s.image().repo(), "latest", untagged).statusCode(201);
        // A name that only resembles the account's is not restricted either.
        put("service$scanner-bridge2", s.image().repo(), "v2", untagged).statusCode(201);
    }
}
