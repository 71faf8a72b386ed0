package io.berth.registry.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registry.api.ManifestPushPullTest.Image;
import io.berth.oci.MediaTypes;
import io.berth.registry.support.RegistryRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * With more distinct pulls between two flushes than berth.registry.pulls.max-pending, the
 * surplus events are dropped and counted on /q/metrics; last_pulled_at is still written, and
 * every GET is either in an event's count or in the dropped counter.
 */
@QuarkusTest
@TestProfile(PullOverloadTest.TwoPending.class)
class PullOverloadTest {

    // The value may be followed by an exemplar (a trace id) once the counter moved in a span.
    static final Pattern DROPPED = Pattern.compile(
            "(?m)^berth_pull_events_dropped_total(?:\\{[^}]*\\})? (\\S+)");

    public static class TwoPending implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One second between flushes: the burst of GETs below fits well inside one.
            return Map.of("berth.registry.pulls.max-pending", "2",
                    "berth.registry.pulls.flush-interval", "PT1S");
        }
    }

    static long dropped() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = DROPPED.matcher(metrics);
        assertTrue(m.find(), () -> "berth_pull_events_dropped_total is not exported:\n"
                + metrics.lines().filter(l -> l.contains("pull_events")).toList());
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void surplusPullEventsAreDroppedAndCountedButLastPulledAtIsWritten() {
        Image img = PullRecordingTest.pushed("pulloverload", "t0");
        List<String> references = new ArrayList<>(List.of("t0", img.digest().toString()));
        for (int i = 1; i < 8; i++) {
            ManifestPushPullTest.put(img.repo(), "t" + i, MediaTypes.OCI_MANIFEST, img.manifest());
            references.add("t" + i);
        }
        long before = dropped();

        // Nine distinct (manifest, reference) pairs, each one new event: at most two are held.
        for (String ref : references) {
            PullRecordingTest.get(img, ref);
        }

        long total = references.size();
        long counted = PullRecordingTest.await(
                () -> PullRecordingTest.pulls(RegistryRows.pullEvents(img.repo())) + dropped() - before,
                n -> n >= total);
        assertEquals(total, counted, "every GET is in an event or in the dropped counter");
        assertTrue(dropped() - before > 0, "some pull events were dropped");
        assertNotNull(PullRecordingTest.await(() -> PullRecordingTest.lastPulled(img), t -> t != null),
                "last_pulled_at is written even when events are dropped");
    }
}
