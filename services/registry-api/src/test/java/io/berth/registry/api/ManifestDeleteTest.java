package io.berth.registry.api;

import static io.berth.registry.support.RegistryErrors.assertError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.events.EventType;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.ManifestJson;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.RegistryRows.OutboxRow;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DELETE by tag removes only the tag; by digest the manifest and every tag on it. */
@QuarkusTest
class ManifestDeleteTest {

    static Image pushed(String prefix, String... tags) {
        Image img = ManifestPushPullTest.image(prefix, MediaTypes.OCI_MANIFEST);
        for (String tag : tags) {
            ManifestPushPullTest.put(img.repo(), tag, MediaTypes.OCI_MANIFEST, img.manifest());
        }
        return img;
    }

    static OutboxRow lastEvent(String repo) {
        List<OutboxRow> rows = RegistryRows.outbox(repo);
        return rows.get(rows.size() - 1);
    }

    @Test
    void deletingATagKeepsTheManifestAndWritesTagDeleted() {
        Image img = pushed("deltag", "v1", "v2");
        given().when().delete("/v2/" + img.repo() + "/manifests/v1").then().statusCode(202);

        assertError(given().when().get("/v2/" + img.repo() + "/manifests/v1").then(),
                RegistryErrorCode.MANIFEST_UNKNOWN);
        given().when().get("/v2/" + img.repo() + "/manifests/v2").then().statusCode(200);
        given().when().get("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(200);
        given().when().get("/v2/" + img.repo() + "/tags/list").then().body("tags", contains("v2"));

        OutboxRow event = lastEvent(img.repo());
        assertEquals(EventType.TAG_DELETED.wire(), event.eventType());
        assertEquals("v1", event.payload().at("/data/tag").asText());
        assertEquals(img.digest().toString(), event.payload().at("/data/digest").asText());
    }

    @Test
    void deletingByDigestRemovesTheManifestAndItsTags() {
        Image img = pushed("deldigest", "v1", "v2");
        given().when().delete("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(202);

        for (String ref : List.of("v1", "v2", img.digest().toString())) {
            assertError(given().when().get("/v2/" + img.repo() + "/manifests/" + ref).then(),
                    RegistryErrorCode.MANIFEST_UNKNOWN);
        }
        given().when().get("/v2/" + img.repo() + "/tags/list").then().statusCode(200)
                .body("tags.size()", org.hamcrest.Matchers.equalTo(0));
        OutboxRow event = lastEvent(img.repo());
        assertEquals(EventType.ARTIFACT_DELETED.wire(), event.eventType());
        assertEquals(img.digest().toString(), event.payload().at("/data/digest").asText());
        assertFalse(event.payload().at("/data").has("tag"));
    }

    @Test
    void unknownTagDigestOrRepositoryIs404AndWritesNothing() {
        Image img = pushed("delunknown", "v1");
        int events = RegistryRows.outbox(img.repo()).size();
        assertError(given().when().delete("/v2/" + img.repo() + "/manifests/nope").then(),
                RegistryErrorCode.MANIFEST_UNKNOWN);
        assertError(given().when().delete("/v2/" + img.repo() + "/manifests/" + ManifestJson.randomDigest()).then(),
                RegistryErrorCode.MANIFEST_UNKNOWN);
        assertError(given().when().delete("/v2/" + TestProjects.create("delnorepo") + "/app/manifests/v1").then(),
                RegistryErrorCode.NAME_UNKNOWN);
        assertEquals(events, RegistryRows.outbox(img.repo()).size());
    }

    @Test
    void aChildOfAnIndexMayBeDeleted() {
        Image img = pushed("delchild", "amd64");
        byte[] index = ManifestJson.index(MediaTypes.OCI_INDEX,
                List.of(ManifestJson.describe(MediaTypes.OCI_MANIFEST, img.manifest())));
        ManifestPushPullTest.put(img.repo(), "multi", MediaTypes.OCI_INDEX, index);
        given().when().delete("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(202);
        given().when().get("/v2/" + img.repo() + "/manifests/multi").then().statusCode(200);
    }
}
