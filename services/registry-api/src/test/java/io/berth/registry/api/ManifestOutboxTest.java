package io.berth.registry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.events.EventType;
import io.berth.events.Topics;
import io.berth.oci.MediaTypes;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.RegistryRows.OutboxRow;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A push writes artifact.pushed to the outbox, keyed by repository, in a CloudEvents envelope. */
@QuarkusTest
class ManifestOutboxTest {

    @Test
    void pushByTagWritesArtifactPushed() {
        Image img = ManifestPushPullTest.image("outbox", MediaTypes.OCI_MANIFEST);
        assertEquals(201, ManifestPushPullTest.put(img.repo(), "v1", MediaTypes.OCI_MANIFEST, img.manifest()).statusCode());
        assertEquals(201, ManifestPushPullTest.put(img.repo(), img.digest().toString(), MediaTypes.OCI_MANIFEST,
                img.manifest()).statusCode());

        List<OutboxRow> rows = RegistryRows.outbox(img.repo());
        assertEquals(2, rows.size());
        OutboxRow row = rows.get(0);
        assertEquals(EventType.ARTIFACT_PUSHED.wire(), row.eventType());
        assertEquals(Topics.ARTIFACTS, row.topic());
        JsonNode p = row.payload();
        assertEquals("1.0", p.path("specversion").asText());
        assertEquals(row.eventId().toString(), p.path("id").asText());
        assertEquals(EventType.ARTIFACT_PUSHED.wire(), p.path("type").asText());
        JsonNode data = p.path("data");
        assertEquals(img.repo().split("/")[0], data.path("project").asText());
        assertEquals(img.repo(), data.path("repository").asText());
        assertEquals(img.digest().toString(), data.path("digest").asText());
        assertEquals(MediaTypes.OCI_MANIFEST, data.path("mediaType").asText());
        assertEquals(MediaTypes.OCI_CONFIG, data.path("artifactType").asText());
        assertEquals("v1", data.path("tag").asText());
        assertEquals(img.manifest().length, data.path("size").asLong());
        // Who pushed, and from where: the token's subject (TestTokens mints them for "test-user").
        assertEquals("test-user", data.path("actor").asText());
        assertEquals("127.0.0.1", data.path("clientIp").asText());

        // Pushed by digest: no tag; every event has its own id.
        assertFalse(rows.get(1).payload().path("data").has("tag"));
        assertNotEquals(rows.get(0).eventId(), rows.get(1).eventId());
    }

    @Test
    void behindTheGatewayTheClientIsTheForwardedAddress() {
        Image img = ManifestPushPullTest.image("outbox-fwd", MediaTypes.OCI_MANIFEST);
        io.restassured.RestAssured.given().header("X-Forwarded-For", "203.0.113.9, 10.0.0.2")
                .contentType(MediaTypes.OCI_MANIFEST).body(img.manifest())
                .when().put("/v2/" + img.repo() + "/manifests/v1").then().statusCode(201);
        JsonNode data = RegistryRows.outbox(img.repo()).get(0).payload().path("data");
        assertEquals("203.0.113.9", data.path("clientIp").asText());
    }
}
