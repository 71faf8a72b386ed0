package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

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

/** GET /v2/<name>/referrers/<digest>: an OCI index of the manifests whose subject is <digest>. */
@QuarkusTest
class ReferrersTest {

    static final String SIG = "application/vnd.dev.cosign.artifact.sig.v1+json";
    static final String SBOM = "application/spdx+json";

    record Subject(Image image, Digest signature, Digest sbom, Digest index) {}

    /** An image with a signature (artifactType), an SBOM (typed by its config) and an index. */
    static Subject subjectWithReferrers(String prefix) {
        Image img = ManifestPushPullTest.image(prefix, MediaTypes.OCI_MANIFEST);
        ManifestPushPullTest.put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest());
        Descriptor subject = ManifestJson.describe(MediaTypes.OCI_MANIFEST, img.manifest());
        Descriptor empty = RegistryRows.blob(img.repo(), MediaTypes.OCI_EMPTY, "{}");

        byte[] sig = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(empty), SIG, subject,
                Map.of("dev.cosignproject.cosign/signature", "MEUCIQ"));
        Descriptor sbomConfig = RegistryRows.blob(img.repo(), SBOM, "{\"spdxVersion\":\"SPDX-2.3\"}");
        byte[] sbom = ManifestJson.image(MediaTypes.OCI_MANIFEST, sbomConfig, List.of(), null, subject, Map.of());
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[],"
                + "\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + img.digest()
                + "\",\"size\":" + img.manifest().length + "}}").getBytes();
        for (byte[] m : List.of(sig, sbom)) {
            ManifestPushPullTest.put(img.repo(), Digest.sha256(m).toString(), MediaTypes.OCI_MANIFEST, m);
        }
        given().contentType(MediaTypes.OCI_INDEX).body(index)
                .when().put("/v2/" + img.repo() + "/manifests/" + Digest.sha256(index)).then().statusCode(201);
        return new Subject(img, Digest.sha256(sig), Digest.sha256(sbom), Digest.sha256(index));
    }

    @Test
    void aLongListComesInLinkedPagesInDigestOrder() {
        Subject s = subjectWithReferrers("referrerpages");
        String path = "/v2/" + s.image().repo() + "/referrers/" + s.image().digest();
        List<String> all = new java.util.ArrayList<>(List.of(
                s.signature().toString(), s.sbom().toString(), s.index().toString()));
        java.util.Collections.sort(all);

        var first = given().queryParam("n", 2).when().get(path).then().statusCode(200)
                .body("manifests.digest", equalTo(all.subList(0, 2))).extract();
        String link = first.header("Link");
        org.junit.jupiter.api.Assertions.assertEquals(
                "<" + path + "?n=2&last=" + all.get(1) + ">; rel=\"next\"", link);
        given().when().get(link.substring(1, link.indexOf('>'))).then().statusCode(200)
                .header("Link", nullValue())
                .body("manifests.digest", equalTo(all.subList(2, 3)));

        // A second signature; the filter then travels with the link, encoded, and each page says
        // it was applied.
        Descriptor subject = ManifestJson.describe(MediaTypes.OCI_MANIFEST, s.image().manifest());
        Descriptor empty = RegistryRows.blob(s.image().repo(), MediaTypes.OCI_EMPTY, "{}");
        byte[] sig2 = ManifestJson.image(MediaTypes.OCI_MANIFEST, empty, List.of(empty), SIG, subject,
                Map.of("dev.cosignproject.cosign/signature", "second"));
        ManifestPushPullTest.put(s.image().repo(), Digest.sha256(sig2).toString(), MediaTypes.OCI_MANIFEST, sig2);
        List<String> sigs = new java.util.ArrayList<>(List.of(s.signature().toString(), Digest.sha256(sig2).toString()));
        java.util.Collections.sort(sigs);
        var typed = given().queryParam("n", 1).queryParam("artifactType", SIG).when().get(path).then()
                .statusCode(200).header("OCI-Filters-Applied", "artifactType")
                .body("manifests.digest", equalTo(sigs.subList(0, 1))).extract();
        String typedLink = typed.header("Link");
        org.junit.jupiter.api.Assertions.assertEquals("<" + path + "?n=1&last=" + sigs.get(0)
                + "&artifactType=application%2Fvnd.dev.cosign.artifact.sig.v1%2Bjson>; rel=\"next\"", typedLink);
        given().urlEncodingEnabled(false).when().get(typedLink.substring(1, typedLink.indexOf('>'))).then()
                .statusCode(200).header("OCI-Filters-Applied", "artifactType").header("Link", nullValue())
                .body("manifests.digest", equalTo(sigs.subList(1, 2)));
        given().queryParam("n", 0).when().get(path).then().statusCode(200)
                .header("Link", nullValue()).body("manifests", empty());
    }

    @Test
    void listsEveryReferrerWithTypeAndAnnotations() {
        Subject s = subjectWithReferrers("referrers");
        String path = "/v2/" + s.image().repo() + "/referrers/" + s.image().digest();
        given().when().get(path)
                .then().statusCode(200)
                .header("Content-Type", MediaTypes.OCI_INDEX)
                .header("OCI-Filters-Applied", nullValue())
                .body("schemaVersion", equalTo(2))
                .body("mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests.digest", containsInAnyOrder(
                        s.signature().toString(), s.sbom().toString(), s.index().toString()))
                .body("manifests.find { it.digest == '" + s.signature() + "' }.artifactType", equalTo(SIG))
                .body("manifests.find { it.digest == '" + s.signature() + "' }.annotations",
                        equalTo(Map.of("dev.cosignproject.cosign/signature", "MEUCIQ")))
                .body("manifests.find { it.digest == '" + s.sbom() + "' }.artifactType", equalTo(SBOM))
                .body("manifests.find { it.digest == '" + s.sbom() + "' }.mediaType", equalTo(MediaTypes.OCI_MANIFEST))
                .body("manifests.find { it.digest == '" + s.index() + "' }.mediaType", equalTo(MediaTypes.OCI_INDEX))
                .body("manifests.find { it.digest == '" + s.index() + "' }", org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.hasKey("artifactType")));
    }

    @Test
    void artifactTypeFilterIsAppliedAndAnnounced() {
        Subject s = subjectWithReferrers("refilter");
        given().queryParam("artifactType", SBOM)
                .when().get("/v2/" + s.image().repo() + "/referrers/" + s.image().digest())
                .then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType")
                .body("manifests", hasSize(1))
                .body("manifests[0].digest", equalTo(s.sbom().toString()))
                .body("manifests[0].size", equalTo(
                        ((Number) RegistryRows.scalar("SELECT size FROM manifests WHERE digest = ?",
                                s.sbom().toString())).intValue()));
    }

    @Test
    void unknownSubjectOrRepositoryIsAnEmptyIndex() {
        Subject s = subjectWithReferrers("refempty");
        given().when().get("/v2/" + s.image().repo() + "/referrers/" + ManifestJson.randomDigest())
                .then().statusCode(200).contentType(MediaTypes.OCI_INDEX).body("manifests", empty());
        given().when().get("/v2/" + TestProjects.create("refnorepo") + "/x/referrers/" + s.image().digest())
                .then().statusCode(200).body("manifests", empty());
    }

    @Test
    void invalidDigestIsDigestInvalid() {
        assertError(given().when().get("/v2/a/b/referrers/sha256:nothex").then(), RegistryErrorCode.DIGEST_INVALID);
        assertError(given().when().get("/v2/a/b/referrers/latest").then(), RegistryErrorCode.DIGEST_INVALID);
    }

    @Test
    void deletedReferrersDisappear() {
        Subject s = subjectWithReferrers("refdelete");
        given().when().delete("/v2/" + s.image().repo() + "/manifests/" + s.signature()).then().statusCode(202);
        given().when().get("/v2/" + s.image().repo() + "/referrers/" + s.image().digest())
                .then().statusCode(200)
                .body("manifests.digest", containsInAnyOrder(s.sbom().toString(), s.index().toString()));
    }
}
