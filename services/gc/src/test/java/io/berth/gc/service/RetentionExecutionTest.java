package io.berth.gc.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.metadata.RetentionArtifacts;
import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.RegistryFixture.Blob;
import io.berth.gc.support.RegistryFixture.Manifest;
import io.berth.gc.support.Retention;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention executions against the real PostgreSQL and S3 endpoint: the wiring of every template
 * and selector (their semantics are EvaluatorTest's), deletions that really delete, usage that
 * stays what the project holds, outbox events with reason and actor, dry runs, immutable tags,
 * a tag pushed during an execution, index children and referrers left to their parent.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class RetentionExecutionTest {

    private static final Instant NOW = Instant.now();

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    RetentionArtifacts artifacts;

    RegistryFixture registry;
    long project;
    String name;

    @BeforeEach
    void fixture() {
        registry = new RegistryFixture(db, store);
        project = registry.project("ret");
        name = registry.projectName(project);
    }

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** An image with its own layer (and {@code shared}, if given), tagged with {@code tags} at {@code pushed}. */
    private Manifest image(long repo, Instant pushed, Blob shared, String... tags) {
        List<Blob> blobs = new ArrayList<>(List.of(registry.blob(repo, false, 100)));
        if (shared != null) {
            blobs.add(shared);
        }
        Manifest m = registry.manifest(repo, blobs, List.of(), null, null, pushed);
        for (String t : tags) {
            registry.tag(m, t, pushed);
        }
        return m;
    }

    private static String allTags(boolean untagged) {
        return "{\"decoration\":\"matches\",\"pattern\":\"**\",\"untagged\":" + untagged + "}";
    }

    private static String repo(String decoration, String pattern) {
        return "{\"decoration\":\"" + decoration + "\",\"pattern\":\"" + pattern + "\"}";
    }

    private static Set<String> digests(JsonPath e, String repository, String kind) {
        List<String> list = e.getList("repositories.find { it.repository == '" + repository + "' }." + kind + ".digest");
        return list == null ? Set.of() : new TreeSet<>(list);
    }

    @Test
    void latestPushedKDeletesTheRestWithTheirUsageAndEvents() {
        long frontend = registry.repository(project, "frontend");
        long backend = registry.repository(project, "backend");
        Blob base = registry.blob(frontend, false, 5000);
        Manifest b1 = image(frontend, daysAgo(5), base, "b1");
        Manifest b2 = image(frontend, daysAgo(4), base, "b2");
        Manifest b3 = image(frontend, daysAgo(3), null, "b3");
        Manifest b4 = image(frontend, daysAgo(2), null, "b4", "stable");
        Manifest b5 = image(frontend, daysAgo(1), base, "b5");
        Manifest untagged = image(frontend, daysAgo(6), null);
        Manifest other = image(backend, daysAgo(9), null, "old");
        registry.settleUsage(project);
        long before = registry.usage(project);

        Retention.put(name, "{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":2}",
                repo("repoMatches", "frontend"), allTags(false)) + "]}");
        JsonPath e = Retention.execute(name, false);

        assertEquals("succeeded", e.getString("status"), e.prettify());
        assertEquals("manual", e.getString("trigger"));
        assertEquals(2, e.getInt("retained"));
        assertEquals(4, e.getInt("deleted"));
        assertEquals(List.of("backend"), e.getList("untouched"));
        assertEquals(new TreeSet<>(List.of(b4.digest(), b5.digest())), digests(e, "frontend", "retained"));
        assertEquals(new TreeSet<>(List.of(b1.digest(), b2.digest(), b3.digest(), untagged.digest())),
                digests(e, "frontend", "deleted"));
        assertEquals(List.of("b4", "stable"),
                e.getList("repositories[0].retained.find { it.digest == '" + b4.digest() + "' }.tags"));
        assertEquals("rule 1: the 2 most recently pushed",
                e.getString("repositories[0].retained.find { it.digest == '" + b5.digest() + "' }.reason"));
        assertEquals("no rule retains it",
                e.getString("repositories[0].deleted.find { it.digest == '" + b1.digest() + "' }.reason"));

        for (Manifest gone : List.of(b1, b2, b3, untagged)) {
            assertFalse(registry.manifestRow(gone), "deleted: " + gone.digest());
            assertEquals(1, registry.deletionEvents(gone.digest(), "retention"));
            assertEquals("admin", registry.deletionActor(gone.digest(), "retention"));
            assertEquals("/berth/gc", registry.deletionSource(gone.digest(), "retention"));
        }
        for (Manifest kept : List.of(b4, b5, other)) {
            assertTrue(registry.manifestRow(kept), "kept: " + kept.digest());
            assertEquals(0, registry.deletionEvents(kept.digest(), "retention"));
        }
        assertEquals(registry.actualUsage(project), registry.usage(project), "usage is what the project holds");
        // b1..b3 and the untagged image each freed their own layer and manifest; the shared base stays (b5).
        assertTrue(registry.usage(project) < before - 400, before + " -> " + registry.usage(project));

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("berth_retention_executions_total{dry_run=\"false\",status=\"succeeded\"}"),
                metrics.lines().filter(l -> l.contains("retention")).toList().toString());
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("berth_retention_deleted_total")));
    }

    @Test
    void aDryRunDeletesNothingAndListsTheSamePlan() {
        long app = registry.repository(project, "app");
        List<Manifest> all = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            all.add(image(app, daysAgo(10 - i), null, "1." + i));
        }
        registry.settleUsage(project);
        long before = registry.usage(project);
        Retention.put(name, "{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":1}", repo("repoMatches", "**"),
                allTags(false)) + "]}");

        JsonPath dry = Retention.execute(name, true);
        assertEquals("succeeded", dry.getString("status"));
        assertTrue(dry.getBoolean("dryRun"));
        assertEquals(3, dry.getInt("deleted"));
        for (Manifest m : all) {
            assertTrue(registry.manifestRow(m), "a dry run deletes nothing");
            assertEquals(0, registry.deletionEvents(m.digest(), "retention"));
        }
        assertEquals(before, registry.usage(project));

        JsonPath real = Retention.execute(name, false);
        assertEquals(digests(dry, "app", "deleted"), digests(real, "app", "deleted"));
        assertEquals(digests(dry, "app", "retained"), digests(real, "app", "retained"));
        assertEquals(Set.of(all.get(3).digest()), digests(real, "app", "retained"));
        assertFalse(registry.manifestRow(all.get(0)));
        assertEquals(registry.actualUsage(project), registry.usage(project));
    }

    @Test
    void everyTemplateAndSelectorActsThroughAnExecution() {
        long a = registry.repository(project, "a");
        Manifest a1 = image(a, daysAgo(30), null, "a1");
        Manifest a2 = image(a, daysAgo(29), null, "a2");
        Manifest a3 = image(a, daysAgo(1), null, "a3");
        registry.pulled(a1, daysAgo(1));
        registry.pulled(a2, daysAgo(2));
        long b = registry.repository(project, "b");
        Manifest b1 = image(b, daysAgo(3), null, "b1");
        Manifest b2 = image(b, daysAgo(30), null, "b2");
        long c = registry.repository(project, "c");
        Manifest c1 = image(c, daysAgo(40), null, "c1");
        Manifest c2 = image(c, daysAgo(40), null, "c2");
        registry.pulled(c1, daysAgo(1));
        registry.pulled(c2, daysAgo(30));
        long d = registry.repository(project, "d");
        Manifest release = image(d, daysAgo(5), null, "release");
        Manifest tmp = image(d, daysAgo(5), null, "tmp-1");
        Manifest dUntagged = image(d, daysAgo(5), null);
        long e = registry.repository(project, "e/sub");
        Manifest eTagged = image(e, daysAgo(50), null, "x");
        Manifest eUntagged = image(e, daysAgo(50), null);
        long h = registry.repository(project, "h");
        Manifest h1 = image(h, daysAgo(50), null, "h1");
        long g = registry.repository(project, "g");
        Manifest g1 = image(g, daysAgo(50), null, "g1");
        registry.settleUsage(project);

        Retention.put(name, "{\"rules\":["
                + Retention.rule("latestPulledN", "{\"count\":1}", repo("repoMatches", "a"), allTags(false)) + ","
                + Retention.rule("nDaysSinceLastPush", "{\"days\":7}", repo("repoMatches", "b"), allTags(false)) + ","
                + Retention.rule("nDaysSinceLastPull", "{\"days\":7}", repo("repoMatches", "c"), allTags(false)) + ","
                + Retention.rule("always", "{}", repo("repoMatches", "d"),
                        "{\"decoration\":\"excludes\",\"pattern\":\"tmp-*\"}") + ","
                + Retention.rule("always", "{}", repo("repoMatches", "e/**"), allTags(true)) + ","
                + Retention.rule("always", "{}", repo("repoExcludes", "a,b,c,d,e/**,g"), allTags(false)) + ","
                + "{\"template\":\"latestPushedK\",\"params\":{\"count\":0},\"repositories\":"
                + repo("repoMatches", "g") + ",\"tags\":" + allTags(true) + ",\"disabled\":true}]}");
        JsonPath ex = Retention.execute(name, false);
        assertEquals("succeeded", ex.getString("status"), ex.prettify());

        Map<Manifest, Boolean> expected = new LinkedHashMap<>();
        expected.put(a1, true); // most recently pulled
        expected.put(a2, false);
        expected.put(a3, false); // never pulled
        expected.put(b1, true); // pushed within 7 days
        expected.put(b2, false);
        expected.put(c1, true); // pulled within 7 days
        expected.put(c2, false);
        expected.put(release, true); // a tag not matching tmp-*
        expected.put(tmp, false);
        expected.put(dUntagged, false); // untagged not selected
        expected.put(eTagged, true);
        expected.put(eUntagged, true); // untagged selected
        expected.put(h1, true); // repoExcludes selects h
        expected.put(g1, true); // only a disabled rule names g: untouched
        expected.forEach((m, kept) -> assertEquals(kept, registry.manifestRow(m), m.digest() + " kept " + kept));
        assertEquals(List.of("g"), ex.getList("untouched"));
        assertTrue(ex.getString("repositories.find { it.repository == 'a' }.retained[0].reason")
                .startsWith("rule 1: the most recently pulled"));
        assertTrue(ex.getString("repositories.find { it.repository == 'e/sub' }.retained.find { it.tags.isEmpty() }.reason")
                .contains("tagged or not"));
        assertEquals(registry.actualUsage(project), registry.usage(project));

        // The per-repository listing.
        given().header("Authorization", TestAuth.ADMIN).queryParam("repository", "e/sub")
                .when().get(Retention.path(name) + "/executions/" + ex.getLong("id"))
                .then().statusCode(200).body("repositories.size()", org.hamcrest.Matchers.equalTo(1))
                .body("repositories[0].repository", org.hamcrest.Matchers.equalTo("e/sub"))
                .body("repositories[0].retained.size()", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void readOnlyModeDeletesNothing() {
        long app = registry.repository(project, "app");
        Manifest older = image(app, daysAgo(9), null, "1");
        Manifest newer = image(app, daysAgo(8), null, "2");
        registry.settleUsage(project);
        Retention.put(name, "{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":1}", repo("repoMatches", "**"),
                allTags(false)) + "]}");
        registry.update("UPDATE system_settings SET read_only = true");
        try {
            JsonPath dry = Retention.execute(name, true);
            assertEquals("succeeded", dry.getString("status"), "a dry run deletes nothing anyway");
            JsonPath e = Retention.execute(name, false);
            assertEquals("failed", e.getString("status"));
            assertTrue(e.getString("error").contains("read-only"), e.getString("error"));
            assertEquals(0, e.getInt("deleted"));
            assertTrue(registry.manifestRow(older) && registry.manifestRow(newer));
        } finally {
            registry.update("UPDATE system_settings SET read_only = false");
        }
        assertEquals("succeeded", Retention.execute(name, false).getString("status"));
        assertFalse(registry.manifestRow(older));
    }

    @Test
    void immutableTagsAreKept() {
        long app = registry.repository(project, "app");
        Manifest release = image(app, daysAgo(9), null, "v1.0");
        Manifest dev = image(app, daysAgo(8), null, "dev");
        registry.immutableTagRules(project, "[{\"repositories\":\"**\",\"tags\":\"v*\"}]");
        registry.settleUsage(project);
        Retention.put(name, "{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":0}", repo("repoMatches", "**"),
                allTags(true)) + "]}");

        JsonPath e = Retention.execute(name, false);

        assertEquals("succeeded", e.getString("status"));
        assertTrue(registry.manifestRow(release));
        assertFalse(registry.manifestRow(dev));
        assertEquals("tag v1.0 is immutable (repositories \"**\", tags \"v*\")",
                e.getString("repositories[0].retained[0].reason"));
    }

    @Test
    void aManifestWhoseTagsChangedOrBecameImmutableIsNotDeleted() {
        long app = registry.repository(project, "app");
        Manifest retagged = image(app, daysAgo(3), null, "old");
        registry.tag(retagged, "new", NOW);
        Manifest frozen = image(app, daysAgo(3), null, "v2");
        Manifest doomed = image(app, daysAgo(3), null, "x", "a");
        Manifest vanished = image(app, daysAgo(3), null);
        registry.deleteManifest(vanished);
        registry.settleUsage(project);
        Map<Long, List<String>> expected = new LinkedHashMap<>();
        expected.put(retagged.id(), List.of("old"));
        expected.put(frozen.id(), List.of("v2"));
        expected.put(doomed.id(), List.of("a", "x"));
        expected.put(vanished.id(), List.of());

        RetentionArtifacts.Outcome o = artifacts.delete(project, name, expected, "someone",
                json -> List.of(new io.berth.security.policy.ImmutableTagRule("**", "v*")));

        assertEquals(List.of(doomed.id()), o.deleted());
        assertEquals(List.of(vanished.id()), o.gone());
        assertTrue(o.kept().get(retagged.id()).contains("tags changed"), o.kept().toString());
        assertTrue(o.kept().get(frozen.id()).contains("became immutable"), o.kept().toString());
        assertEquals(List.of("new", "old"), registry.tags(retagged), "the tag pushed meanwhile is not lost");
        assertTrue(registry.manifestRow(frozen));
        assertFalse(registry.manifestRow(doomed));
        assertEquals("someone", registry.deletionActor(doomed.digest(), "retention"));
        assertEquals(registry.actualUsage(project), registry.usage(project));
    }

    @Test
    void indexChildrenAndReferrersFollowTheirParentAndAreLeftToGc() {
        long app = registry.repository(project, "app");
        Manifest child = image(app, daysAgo(20), null);
        Manifest index = registry.manifest(app, List.of(), List.of(child.digest()), null, null, daysAgo(20));
        registry.tag(index, "multi", daysAgo(20));
        Manifest image = image(app, daysAgo(10), null, "img");
        Manifest signature = registry.manifest(app, List.of(registry.blob(app, false, 10)), List.of(), image.digest(),
                null, daysAgo(10));
        Manifest keep = image(app, daysAgo(1), null, "latest");
        registry.settleUsage(project);
        Retention.put(name, "{\"rules\":[" + Retention.rule("latestPushedK", "{\"count\":1}", repo("repoMatches", "**"),
                allTags(false)) + "]}");

        JsonPath e = Retention.execute(name, false);

        assertEquals(3, e.getInt("retained") + e.getInt("deleted"), "only top-level artifacts are listed");
        assertEquals(Set.of(index.digest(), image.digest()), digests(e, "app", "deleted"));
        assertTrue(registry.manifestRow(keep));
        assertFalse(registry.manifestRow(index) || registry.manifestRow(image));
        assertTrue(registry.manifestRow(child) && registry.manifestRow(signature),
                "children and referrers stay for gc's untagged clean-up, as after a user's delete");
        assertNull(registry.deletionActor(child.digest(), "retention"));
        assertEquals(registry.actualUsage(project), registry.usage(project));
    }
}
