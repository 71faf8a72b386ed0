package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registry.support.Images;
import io.berth.registry.support.Images.Image;
import io.berth.registry.support.ManagementErrors;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Tag immutability (docs/adr/0021): a tag matching a rule of its project may be pushed once and
 * pushed again with the same digest, but neither moved to another digest nor deleted, on
 * {@code /v2} and through the browsing API alike. Other tags are unaffected.
 */
@QuarkusTest
class TagImmutabilityTest {

    private static final String RULE = "[{\"repositories\": \"app/**\", \"tags\": \"v*\"}]";

    @Test
    void anImmutableTagIsPushedOnceAndNeverMovedOrDeleted() {
        String project = TestProjects.create("immutable");
        TestProjects.immutableTagRules(project, RULE);
        String repo = project + "/app/web";
        Image first = Images.of(repo, 1, 2_000);
        Image second = Images.of(repo, 2, 2_000);

        Images.pushOk(first, "v1");
        assertNull(Images.putManifest(repo, "v1", first.manifest()), "the same digest again is allowed");
        Images.pushOk(second, "latest");

        ExtractableResponse<Response> moved = Images.putManifest(repo, "v1", second.manifest());
        assertDenied(moved, "v1");
        // By digest with ?tag= too.
        assertDenied(given().contentType("application/vnd.oci.image.manifest.v1+json").body(second.manifest())
                .queryParam("tag", "v1").when().put("/v2/" + repo + "/manifests/" + second.digest())
                .then().extract(), "v1");
        given().when().head("/v2/" + repo + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", first.digest().toString());

        assertDenied(given().when().delete("/v2/" + repo + "/manifests/v1").then().extract(), "v1");
        assertDenied(given().when().delete("/v2/" + repo + "/manifests/" + first.digest()).then().extract(), "v1");
        given().when().head("/v2/" + repo + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", first.digest().toString());

        // Tags the rule does not match move and go as ever.
        assertNull(Images.putManifest(repo, "latest", first.manifest()));
        given().when().delete("/v2/" + repo + "/manifests/latest").then().statusCode(202);
        given().when().delete("/v2/" + repo + "/manifests/" + second.digest()).then().statusCode(202);
        // So does a v-tag in a repository the rule does not match.
        Images.pushOk(Images.of(project + "/tools", 3, 2_000), "v1");
        Images.pushOk(Images.of(project + "/tools", 5, 2_000), "v1");
    }

    @Test
    void theBrowsingApiRefusesTheSameDeletes() {
        String project = TestProjects.create("immutable-api");
        TestProjects.immutableTagRules(project, RULE);
        String repo = project + "/app/api";
        Image image = Images.of(repo, 4, 2_000);
        Images.pushOk(image, "v2");
        String auth = BrowseFixtures.bearer("repository:" + repo + ":delete,pull");
        String path = BrowseFixtures.repoPath(repo);

        for (String target : new String[] {path + "/artifacts/" + image.digest() + "/tags/v2",
                path + "/artifacts/" + image.digest(), path}) {
            Response refused = BrowseFixtures.delete(target, auth);
            ManagementErrors.assertManagementError(refused, 403, "FORBIDDEN");
            assertTrue(refused.jsonPath().getString("errors[0].message").contains("rule repositories \"app/**\""),
                    refused::asString);
        }
        given().when().head("/v2/" + repo + "/manifests/v2").then().statusCode(200);
    }

    private static void assertDenied(ExtractableResponse<Response> answer, String tag) {
        assertEquals(403, answer.statusCode(), answer::asString);
        assertEquals("DENIED", answer.path("errors[0].code"));
        String message = answer.path("errors[0].message");
        assertTrue(message.contains("tag " + tag) && message.contains("repositories \"app/**\", tags \"v*\""), message);
        assertEquals(tag, answer.path("errors[0].detail.tag"));
    }
}
