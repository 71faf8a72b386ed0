package io.berth.registry.api;

import static io.berth.registry.support.Images.actualUsage;
import static io.berth.registry.support.Images.usage;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.EventType;
import io.berth.registry.support.Images;
import io.berth.registry.support.Images.Image;
import io.berth.registry.support.RegistryRows;
import io.berth.registry.support.RegistryRows.OutboxRow;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Storage quotas (docs/adr/0021): a project holds each blob once, pushes that would take it over
 * its quota are refused with 403 DENIED, even two at once, and usage is exact after deletes.
 * Every step compares the counter ({@code project_usage}) with a count from scratch (the view
 * {@code project_usage_actual}).
 */
@QuarkusTest
class ProjectQuotaTest {

    private static final int LAYER = 50_000;

    @Test
    void ofTwoParallelPushesWhereOnlyOneFitsExactlyOneSucceeds() throws Exception {
        String project = TestProjects.create("quota");
        String repo = project + "/app";
        Images.pushOk(Images.of(repo, 1, 20_000), "base");
        long used = usage(project);
        assertEquals(actualUsage(project), used);

        Image b = Images.of(repo, 2, LAYER);
        Image c = Images.of(repo, 3, LAYER);
        // Room for one image and a spare config, never for both layers.
        long quota = used + b.bytes() + 1_000;
        TestProjects.quota(project, quota);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<ExtractableResponse<Response>>> pushes = new ArrayList<>();
        for (Image image : List.of(b, c)) {
            pushes.add(pool.submit(() -> {
                start.await();
                return Images.push(image, "v1-" + image.digest().hex().substring(0, 8));
            }));
        }
        ExtractableResponse<Response> failedB = pushes.get(0).get();
        ExtractableResponse<Response> failedC = pushes.get(1).get();
        pool.shutdown();
        assertTrue((failedB == null) != (failedC == null), "exactly one push succeeds");
        ExtractableResponse<Response> refusal = failedB != null ? failedB : failedC;
        Image winner = failedB == null ? b : c;
        Image loser = failedB == null ? c : b;

        assertEquals(403, refusal.statusCode(), refusal.asString());
        assertEquals("DENIED", refusal.path("errors[0].code"));
        String message = refusal.path("errors[0].message");
        assertTrue(message.contains("project " + project) && message.contains(" of " + quota + " bytes"), message);
        assertEquals(quota, ((Number) refusal.path("errors[0].detail.quotaBytes")).longValue());
        assertTrue(usage(project) <= quota);
        assertEquals(actualUsage(project), usage(project));
        given().when().head("/v2/" + repo + "/manifests/" + loser.digest()).then().statusCode(404);

        // Deleting the winner frees what only it held; then the loser fits.
        long before = usage(project);
        given().when().delete("/v2/" + repo + "/manifests/" + winner.digest()).then().statusCode(202);
        assertEquals(before - winner.bytes(), usage(project));
        assertEquals(actualUsage(project), usage(project));
        Images.pushOk(loser, "retry");
        assertEquals(actualUsage(project), usage(project));

        List<String> types = RegistryRows.outbox(project).stream().map(OutboxRow::eventType).toList();
        assertTrue(types.contains(EventType.PROJECT_QUOTA_WARNING.wire()), types::toString);
        OutboxRow exceeded = RegistryRows.outbox(project).stream()
                .filter(r -> r.eventType().equals(EventType.PROJECT_QUOTA_EXCEEDED.wire())).findFirst().orElseThrow();
        assertEquals("berth.audit", exceeded.topic());
        assertEquals(project, exceeded.payload().at("/data/project").asText());
        assertEquals(quota, exceeded.payload().at("/data/quotaBytes").asLong());
        assertEquals(repo, exceeded.payload().at("/data/repository").asText());
    }

    @Test
    void usageIsExactAfterTagManifestBlobAndRepositoryDeletes() {
        String project = TestProjects.create("usage");
        String other = TestProjects.create("usage-other");
        Image x = Images.of(project + "/one", 10, 100, 30_000);
        Image y = Images.of(project + "/two", 11, 100, 30_000);
        Images.pushOk(x, "v1");
        assertNull(Images.putManifest(x.repo(), "v2", x.manifest()));
        Images.pushOk(y, "v1");
        // The layer is shared by both repositories: it counts once in the project.
        long expected = x.bytes() + y.config().length + y.manifest().length;
        assertEquals(expected, usage(project));
        assertEquals(expected, actualUsage(project));
        // ... and once more in another project that holds it too.
        Images.pushOk(Images.of(other + "/app", 12, 100, 30_000), "v1");
        assertEquals(actualUsage(other), usage(other));
        assertTrue(usage(other) > 30_000);

        given().when().delete("/v2/" + x.repo() + "/manifests/v1").then().statusCode(202);
        assertEquals(expected, usage(project), "a tag delete frees nothing");

        given().when().delete("/v2/" + x.repo() + "/manifests/" + x.digest()).then().statusCode(202);
        expected -= x.config().length + x.manifest().length;
        assertEquals(expected, usage(project), "the layer is still held by the other repository");
        assertEquals(expected, actualUsage(project));

        byte[] loose = io.berth.registry.support.BlobPushes.bytes(7_000, 13);
        var digest = io.berth.registry.support.BlobPushes.push(x.repo(), loose);
        assertEquals(expected + loose.length, usage(project), "an upload no manifest uses yet counts");
        given().when().delete("/v2/" + x.repo() + "/blobs/" + digest).then().statusCode(202);
        assertEquals(expected, usage(project));
        assertEquals(expected, actualUsage(project));

        given().header("Authorization", BrowseFixtures.bearer("repository:" + y.repo() + ":delete"))
                .when().delete(BrowseFixtures.repoPath(y.repo())).then().statusCode(204);
        given().when().get("/v2/" + y.repo() + "/tags/list").then().statusCode(404);
        assertEquals(0, usage(project));
        assertEquals(0, actualUsage(project));
    }

    @Test
    void anUploadOrMountThatDoesNotFitIsRefusedAndLeavesNothing() {
        String source = TestProjects.create("mount-src");
        Image image = Images.of(source + "/app", 20, 10_000);
        Images.pushOk(image, "v1");
        String layer = io.berth.oci.Digest.sha256(image.layer()).toString();

        String full = TestProjects.create("mount-full");
        TestProjects.quota(full, 5_000L);
        given().queryParam("mount", layer).queryParam("from", image.repo())
                .when().post("/v2/" + full + "/app/blobs/uploads/")
                .then().statusCode(403).body("errors[0].code", org.hamcrest.Matchers.equalTo("DENIED"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("project " + full));
        given().when().head("/v2/" + full + "/app/blobs/" + layer).then().statusCode(404);
        var upload = Images.push(image.withRepo(full + "/app"), "v1");
        assertNotNull(upload);
        assertEquals(403, upload.statusCode());
        given().when().head("/v2/" + full + "/app/blobs/" + layer).then().statusCode(404);
        assertEquals(actualUsage(full), usage(full));
        assertTrue(usage(full) <= 5_000);
        assertTrue(RegistryRows.outbox(full).stream()
                .anyMatch(r -> r.eventType().equals(EventType.PROJECT_QUOTA_EXCEEDED.wire())));

        TestProjects.quota(full, 1_000_000L);
        given().queryParam("mount", layer).queryParam("from", image.repo())
                .when().post("/v2/" + full + "/app/blobs/uploads/").then().statusCode(201);
        assertEquals(actualUsage(full), usage(full));
        assertTrue(usage(full) >= image.layer().length);
    }
}
