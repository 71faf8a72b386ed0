package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.events.EventType;
import io.berth.events.Topics;
import io.berth.oci.MediaTypes;
import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.RegistryRows.OutboxRow;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A manifest GET is a pull: within a flush interval it sets {@code last_pulled_at} and writes
 * {@code artifact.pulled}, aggregated per manifest and tag with a count. A HEAD is not a pull.
 */
@QuarkusTest
@TestProfile(PullRecordingTest.FastFlush.class)
class PullRecordingTest {

    static final Duration FLUSH = Duration.ofMillis(200);
    static final Duration PATIENCE = Duration.ofSeconds(5);

    public static class FastFlush implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.pulls.flush-interval", FLUSH.toString());
        }
    }

    static Image pushed(String prefix, String tag) {
        Image img = ManifestPushPullTest.image(prefix, MediaTypes.OCI_MANIFEST);
        assertEquals(201, ManifestPushPullTest.put(img.repo(), tag, MediaTypes.OCI_MANIFEST,
                img.manifest()).statusCode());
        return img;
    }

    static Instant lastPulled(Image img) {
        Object t = RegistryRows.scalar("""
                SELECT m.last_pulled_at FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.digest = ?""", img.repo(), img.digest().toString());
        return t == null ? null : ((Timestamp) t).toInstant();
    }

    /** Polls {@code value} until {@code done} holds, for up to {@link #PATIENCE}; returns the last value. */
    static <T> T await(Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T v = value.get();
        while (!done.test(v) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            v = value.get();
        }
        return v;
    }

    static long pulls(List<OutboxRow> rows) {
        return rows.stream().mapToLong(r -> r.payload().at("/data/count").asLong()).sum();
    }

    static void get(Image img, String reference) {
        given().when().get("/v2/" + img.repo() + "/manifests/" + reference).then().statusCode(200);
    }

    @Test
    void getSetsLastPulledAtAndALaterGetMovesItForward() throws InterruptedException {
        Image img = pushed("pulltime", "v1");
        assertNull(lastPulled(img), "never pulled yet");

        Instant before = Instant.now().minusSeconds(1);
        get(img, "v1");
        Instant first = await(() -> lastPulled(img), t -> t != null);
        assertTrue(first != null && first.isAfter(before), "last_pulled_at after a GET: " + first);

        Thread.sleep(20);
        get(img, img.digest().toString());
        Instant second = await(() -> lastPulled(img), t -> t.isAfter(first));
        assertTrue(second.isAfter(first), "a later GET moves it forward: " + first + " then " + second);
    }

    @Test
    void headIsNotAPull() throws InterruptedException {
        Image img = pushed("pullhead", "v1");
        for (int i = 0; i < 3; i++) {
            given().when().head("/v2/" + img.repo() + "/manifests/v1").then().statusCode(200);
            given().when().head("/v2/" + img.repo() + "/manifests/" + img.digest()).then().statusCode(200);
        }
        Thread.sleep(FLUSH.multipliedBy(5).toMillis());
        assertNull(lastPulled(img), "HEAD sets no last_pulled_at");
        assertEquals(List.of(), RegistryRows.pullEvents(img.repo()), "HEAD writes no pull event");

        // The flush was running all along: a GET shows up.
        get(img, "v1");
        assertTrue(await(() -> lastPulled(img), t -> t != null) != null);
    }

    @Test
    void pullEventsCarryRepositoryDigestTagAndCount() {
        Image img = pushed("pullevent", "v1");
        get(img, "v1");
        get(img, "v1");
        get(img, img.digest().toString());

        List<OutboxRow> rows = await(() -> RegistryRows.pullEvents(img.repo()), r -> pulls(r) >= 3);
        assertEquals(3, pulls(rows), "every GET is counted once: " + rows);
        long byTag = 0;
        long byDigest = 0;
        for (OutboxRow row : rows) {
            assertEquals(EventType.ARTIFACT_PULLED.wire(), row.eventType());
            assertEquals(Topics.ARTIFACTS, row.topic());
            JsonNode p = row.payload();
            assertEquals("1.0", p.path("specversion").asText());
            assertEquals(row.eventId().toString(), p.path("id").asText());
            assertEquals(EventType.ARTIFACT_PULLED.wire(), p.path("type").asText());
            assertEquals(img.repo(), p.path("subject").asText());
            JsonNode data = p.path("data");
            assertEquals(img.repo().split("/")[0], data.path("project").asText());
            assertEquals(img.repo(), data.path("repository").asText());
            assertEquals(img.digest().toString(), data.path("digest").asText());
            assertEquals(MediaTypes.OCI_MANIFEST, data.path("mediaType").asText());
            assertEquals(MediaTypes.OCI_CONFIG, data.path("artifactType").asText());
            assertEquals(img.manifest().length, data.path("size").asLong());
            Instant firstAt = Instant.parse(data.path("firstPulledAt").asText());
            Instant lastAt = Instant.parse(data.path("lastPulledAt").asText());
            assertFalse(lastAt.isBefore(firstAt), "first <= last: " + data);
            if (data.has("tag")) {
                assertEquals("v1", data.path("tag").asText());
                byTag += data.path("count").asLong();
            } else {
                byDigest += data.path("count").asLong();
            }
        }
        assertEquals(2, byTag, "pulls by tag v1");
        assertEquals(1, byDigest, "pulls by digest");
    }
}
