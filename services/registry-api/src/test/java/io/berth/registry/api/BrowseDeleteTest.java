package io.berth.registry.api;

import static io.berth.registry.api.BrowseFixtures.bearer;
import static io.berth.registry.api.BrowseFixtures.delete;
import static io.berth.registry.api.BrowseFixtures.repoPath;
import static io.berth.registry.support.ManagementErrors.assertManagementError;
import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.events.EventType;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.BrowseFixtures.Pushed;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.RegistryRows.OutboxRow;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DELETE of artifacts and tags through the management API: same effect and events as /v2. */
@QuarkusTest
class BrowseDeleteTest {

    private static String deleter(String repo) {
        return bearer("repository:" + repo + ":delete");
    }

    private static OutboxRow lastEvent(String repo) {
        List<OutboxRow> rows = RegistryRows.outbox(repo);
        return rows.get(rows.size() - 1);
    }

    @Test
    void deletingAnArtifactRemovesItAndItsTagsAndWritesArtifactDeleted() {
        String repo = TestProjects.create("browse-del") + "/app";
        Pushed img = BrowseFixtures.image(repo, "del-" + repo, "v1", "v2");
        Pushed other = BrowseFixtures.image(repo, "keep-" + repo, "keep");

        Response answer = delete(repoPath(repo) + "/artifacts/" + img.digest(), deleter(repo));
        assertEquals(204, answer.statusCode(), answer::asString);

        for (String ref : List.of("v1", "v2", img.digest().toString())) {
            assertError(given().when().get("/v2/" + repo + "/manifests/" + ref).then(),
                    RegistryErrorCode.MANIFEST_UNKNOWN);
        }
        given().when().get("/v2/" + repo + "/manifests/keep").then().statusCode(200);
        OutboxRow event = lastEvent(repo);
        assertEquals(EventType.ARTIFACT_DELETED.wire(), event.eventType());
        assertEquals(img.digest().toString(), event.payload().at("/data/digest").asText());
        List<Object> left = BrowseFixtures.get(repoPath(repo) + "/artifacts", BrowseFixtures.admin())
                .jsonPath().getList("digest");
        assertEquals(List.of(other.digest().toString()), left);
    }

    @Test
    void deletingATagKeepsTheArtifactAndWritesTagDeleted() {
        String repo = TestProjects.create("browse-deltag") + "/app/web";
        Pushed img = BrowseFixtures.image(repo, "deltag-" + repo, "v1", "v2");

        Response answer = delete(repoPath(repo) + "/artifacts/" + img.digest() + "/tags/v1", deleter(repo));
        assertEquals(204, answer.statusCode(), answer::asString);

        assertError(given().when().get("/v2/" + repo + "/manifests/v1").then(), RegistryErrorCode.MANIFEST_UNKNOWN);
        given().when().get("/v2/" + repo + "/manifests/v2").then().statusCode(200);
        given().when().get("/v2/" + repo + "/manifests/" + img.digest()).then().statusCode(200);
        OutboxRow event = lastEvent(repo);
        assertEquals(EventType.TAG_DELETED.wire(), event.eventType());
        assertEquals("v1", event.payload().at("/data/tag").asText());
        assertEquals(img.digest().toString(), event.payload().at("/data/digest").asText());
    }

    @Test
    void aTagOfAnotherArtifactIsNotDeletedInThisOnesName() {
        String repo = TestProjects.create("browse-deltag2") + "/app";
        Pushed mine = BrowseFixtures.image(repo, "mine-" + repo, "mine");
        BrowseFixtures.image(repo, "theirs-" + repo, "theirs");
        int events = RegistryRows.outbox(repo).size();

        assertManagementError(delete(repoPath(repo) + "/artifacts/" + mine.digest() + "/tags/theirs",
                deleter(repo)), 404, "NOT_FOUND");
        given().when().get("/v2/" + repo + "/manifests/theirs").then().statusCode(200);
        assertEquals(events, RegistryRows.outbox(repo).size());
    }

    @Test
    void unknownRepositoryDigestOrTagIsNotFoundAndWritesNothing() {
        String repo = TestProjects.create("browse-del404") + "/app";
        Pushed img = BrowseFixtures.image(repo, "d404-" + repo, "v1");
        int events = RegistryRows.outbox(repo).size();
        String unknown = ManifestJson.randomDigest().toString();

        assertManagementError(delete(repoPath(repo) + "/artifacts/" + unknown, deleter(repo)), 404, "NOT_FOUND");
        assertManagementError(delete(repoPath(repo) + "/artifacts/" + img.digest() + "/tags/nope",
                deleter(repo)), 404, "NOT_FOUND");
        String missing = repo + "-missing";
        assertManagementError(delete(repoPath(missing) + "/artifacts/" + img.digest(), deleter(missing)),
                404, "NOT_FOUND");
        assertManagementError(delete(repoPath(missing) + "/artifacts/" + img.digest() + "/tags/v1",
                deleter(missing)), 404, "NOT_FOUND");
        assertManagementError(delete(repoPath(repo) + "/artifacts/sha256:nothex", deleter(repo)),
                400, "BAD_REQUEST");
        assertEquals(events, RegistryRows.outbox(repo).size());
    }
}
