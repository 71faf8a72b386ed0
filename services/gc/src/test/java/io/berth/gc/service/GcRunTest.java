package io.berth.gc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gc.metadata.GcRun;
import io.berth.gc.support.RegistryFixture;
import io.berth.gc.support.RegistryFixture.Blob;
import io.berth.gc.support.RegistryFixture.Manifest;
import io.berth.gc.support.Runs;
import io.berth.gc.support.TestAuth;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection runs against the real PostgreSQL (gc's test schema) and S3 endpoint (gc's
 * test bucket): what goes, what stays, the grace window, untagged manifests, the dry run, usage.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class GcRunTest {

    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(3));

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    GcRunner runner;

    RegistryFixture registry;
    long project;
    long repo;

    @BeforeEach
    void fixture() {
        registry = new RegistryFixture(db, store);
        // Start from a collected registry, so counts are this test's own.
        Runs.run("{\"graceSeconds\":0,\"deleteUntagged\":true}");
        project = registry.project("gc");
        repo = registry.repository(project, "app");
    }

    @Test
    void aRunDeletesUnreferencedBlobsWithTheirObjectsAndKeepsWhatManifestsUse() {
        Blob used = registry.blob(repo, false, 1000);
        Blob left = registry.blob(repo, false, 2000);
        Blob abandoned = registry.blob(repo, true, 3000);
        registry.manifest(repo, List.of(used), List.of(), null, "v2", Instant.now());
        registry.deleteManifest(registry.manifest(repo, List.of(used, left), List.of(), null, "v1", Instant.now()));
        registry.settleUsage(project);
        long usageBefore = registry.usage(project);

        JsonPath run = Runs.run("{\"graceSeconds\":0}");

        assertEquals("succeeded", run.getString("status"));
        assertEquals("manual", run.getString("trigger"));
        assertEquals("admin", run.getString("requestedBy"));
        assertTrue(registry.blobRow(used) && registry.linked(repo, used) && registry.stored(used.objectId()),
                "a blob a tagged manifest references stays, with its link and its bytes");
        assertFalse(registry.linked(repo, left) || registry.blobRow(left) || registry.stored(left.objectId()),
                "a blob no manifest references any more goes: link, row and object");
        assertFalse(registry.blobRow(abandoned) || registry.stored(abandoned.objectId()),
                "an upload no manifest used goes once its grace (0 here) has passed");
        assertEquals(2, run.getLong("blobsDeleted"));
        assertEquals(2, run.getLong("linksDeleted"));
        assertEquals(5000, run.getLong("bytesFreed"));
        assertEquals(registry.actualUsage(project), registry.usage(project), "usage is what the project holds");
        assertEquals(usageBefore - 3000, registry.usage(project), "of the two, only the pending upload counted");
    }

    @Test
    void theGraceWindowKeepsRecentGarbageUntilItHasBeenUnreferencedThatLong() {
        Blob left = registry.blob(repo, false, 500);
        registry.deleteManifest(registry.manifest(repo, List.of(left), List.of(), null, null, Instant.now()));

        JsonPath first = Runs.run("{\"graceSeconds\":3600}");
        assertEquals(0, first.getLong("blobsDeleted"));
        assertTrue(registry.blobRow(left) && registry.stored(left.objectId()), "unreferenced for less than an hour");
        assertEquals(2, registry.number("SELECT count(*) FROM gc_marks WHERE digest = ?", left.digest()),
                "the run marked the link and the blob");

        registry.update("UPDATE gc_marks SET first_seen_at = now() - interval '2 hours' WHERE digest = ?", left.digest());
        JsonPath second = Runs.run("{\"graceSeconds\":3600}");
        assertEquals(1, second.getLong("blobsDeleted"));
        assertFalse(registry.blobRow(left) || registry.stored(left.objectId()), "unreferenced for two hours");
    }

    @Test
    void aBlobReferencedAgainBeforeTheSweepStaysAndLosesItsMark() {
        Blob b = registry.blob(repo, false, 100);
        registry.deleteManifest(registry.manifest(repo, List.of(b), List.of(), null, null, Instant.now()));
        Runs.run("{\"graceSeconds\":3600}");
        registry.update("UPDATE gc_marks SET first_seen_at = now() - interval '2 hours' WHERE digest = ?", b.digest());
        // Pushed again before the sweep: a manifest references it.
        registry.manifest(repo, List.of(b), List.of(), null, "again", Instant.now());

        Runs.run("{\"graceSeconds\":3600}");

        assertTrue(registry.blobRow(b) && registry.linked(repo, b) && registry.stored(b.objectId()));
        assertEquals(0, registry.number("SELECT count(*) FROM gc_marks WHERE digest = ?", b.digest()));
    }

    @Test
    void untaggedManifestsGoOnlyWhenAskedAndWhatKeepsThemIsRespected() {
        Blob layer = registry.blob(repo, false, 700);
        Blob childLayer = registry.blob(repo, false, 800);
        Blob imageLayer = registry.blob(repo, false, 900);
        Manifest untagged = registry.manifest(repo, List.of(layer), List.of(), null, null, LONG_AGO);
        Manifest child = registry.manifest(repo, List.of(childLayer), List.of(), null, null, LONG_AGO);
        registry.manifest(repo, List.of(), List.of(child.digest()), null, "multi", LONG_AGO);
        Manifest image = registry.manifest(repo, List.of(imageLayer), List.of(), null, "latest", LONG_AGO);
        Manifest signature = registry.manifest(repo, List.of(), List.of(), image.digest(), null, LONG_AGO);
        Manifest orphanSignature = registry.manifest(repo, List.of(), List.of(), "sha256:" + "0".repeat(64), null,
                LONG_AGO);
        Manifest fresh = registry.manifest(repo, List.of(), List.of(), null, null, Instant.now());
        registry.settleUsage(project);

        JsonPath kept = Runs.run("{\"graceSeconds\":0}");
        assertEquals(0, kept.getLong("manifestsDeleted"));
        assertTrue(registry.manifestRow(untagged), "without deleteUntagged no manifest goes");

        JsonPath run = Runs.run("{\"graceSeconds\":60,\"deleteUntagged\":true}");
        assertEquals("succeeded", run.getString("status"));
        assertFalse(registry.manifestRow(untagged), "untagged, no parent, no subject: deleted");
        assertFalse(registry.manifestRow(orphanSignature), "a referrer whose subject is gone goes");
        assertTrue(registry.manifestRow(child), "a child of a tagged index stays");
        assertTrue(registry.manifestRow(signature), "a signature of a live image stays");
        assertTrue(registry.manifestRow(fresh), "a manifest pushed within the grace window stays");
        assertEquals(2, run.getLong("manifestsDeleted"));
        assertEquals(1, registry.deletionEvents(untagged.digest(), "gc"), "its artifact.deleted says why");
        assertEquals(registry.actualUsage(project), registry.usage(project), "usage is what the project holds");
        assertTrue(registry.blobRow(layer), "its layer waits out its own grace window");

        registry.update("UPDATE gc_marks SET first_seen_at = now() - interval '2 minutes' WHERE digest = ?",
                layer.digest());
        Runs.run("{\"graceSeconds\":60}");
        assertFalse(registry.blobRow(layer) || registry.stored(layer.objectId()), "then it goes");
    }

    @Test
    void anUntaggedIndexTakesItsChildrenAndTheirBlobsInOneRunWithGraceZero() {
        Blob childLayer = registry.blob(repo, false, 400);
        Manifest child = registry.manifest(repo, List.of(childLayer), List.of(), null, null, LONG_AGO);
        Manifest index = registry.manifest(repo, List.of(), List.of(child.digest()), null, null, LONG_AGO);

        JsonPath run = Runs.run("{\"graceSeconds\":0,\"deleteUntagged\":true}");

        assertFalse(registry.manifestRow(index) || registry.manifestRow(child));
        assertFalse(registry.blobRow(childLayer) || registry.stored(childLayer.objectId()));
        assertEquals(2, run.getLong("manifestsDeleted"));
        assertEquals(400, run.getLong("bytesFreed"));
    }

    @Test
    void aDryRunReportsWhatTheRunThenDeletesAndDeletesNothing() {
        Blob a = registry.blob(repo, false, 1111);
        Blob b = registry.blob(repo, true, 2222);
        Blob kept = registry.blob(repo, false, 3333);
        registry.manifest(repo, List.of(kept), List.of(), null, "v1", Instant.now());
        Manifest untagged = registry.manifest(repo, List.of(a), List.of(), null, null, LONG_AGO);

        JsonPath dry = Runs.run("{\"graceSeconds\":0,\"deleteUntagged\":true,\"dryRun\":true}");
        assertEquals("succeeded", dry.getString("status"));
        assertTrue(dry.getBoolean("dryRun"));
        assertTrue(registry.manifestRow(untagged) && registry.blobRow(a) && registry.blobRow(b)
                && registry.stored(a.objectId()), "a dry run deletes nothing");

        JsonPath real = Runs.run("{\"graceSeconds\":0,\"deleteUntagged\":true}");
        for (String count : List.of("manifestsDeleted", "linksDeleted", "blobsDeleted", "bytesFreed")) {
            assertEquals(real.getLong(count), dry.getLong(count), count + " of the dry run is what the run deleted");
        }
        assertEquals(1, real.getLong("manifestsDeleted"));
        assertEquals(2, real.getLong("blobsDeleted"));
        assertEquals(1111 + 2222, real.getLong("bytesFreed"));
        assertTrue(registry.blobRow(kept) && registry.stored(kept.objectId()));
    }

    @Test
    void aRunThatMeetsReadOnlyModeStopsAndDeletesNothing() {
        Blob left = registry.blob(repo, false, 800);
        registry.deleteManifest(registry.manifest(repo, List.of(left), List.of(), null, null, Instant.now()));
        registry.update("UPDATE system_settings SET read_only = true");
        try {
            // Started before the administrator turned read-only on (the API refuses new ones).
            GcRun run = runner.start(new GcRun.Options("manual", false, false, 0, false, "test"));
            JsonPath ended = Runs.awaitEnd(run.id());
            assertEquals("stopped", ended.getString("status"));
            assertTrue(registry.linked(repo, left) && registry.blobRow(left) && registry.stored(left.objectId()));
        } finally {
            registry.update("UPDATE system_settings SET read_only = false");
        }
        assertEquals(1, Runs.run("{\"graceSeconds\":0}").getLong("blobsDeleted"), "afterwards it is collected");
    }

    @Test
    void aRunCorrectsUsageThatDrifted() {
        Blob b = registry.blob(repo, false, 4096);
        registry.manifest(repo, List.of(b), List.of(), null, "v1", Instant.now());
        registry.settleUsage(project);
        long actual = registry.usage(project);
        registry.update("UPDATE project_usage SET stored_bytes = 77 WHERE project_id = ?", project);

        Runs.run("{\"graceSeconds\":3600}");

        assertEquals(actual, registry.usage(project));
    }

    @Test
    void orphanedObjectsGoAndObjectsAnUploadNamesStay() {
        Blob orphan = registry.blob(repo, true, 600);
        registry.update("DELETE FROM repository_blobs WHERE digest = ?", orphan.digest());
        registry.update("DELETE FROM blobs WHERE digest = ?", orphan.digest());
        Blob uploading = registry.blob(repo, true, 600);
        registry.update("DELETE FROM repository_blobs WHERE digest = ?", uploading.digest());
        registry.update("DELETE FROM blobs WHERE digest = ?", uploading.digest());
        registry.update("INSERT INTO uploads (id, repository_id, object_id) VALUES (gen_random_uuid(), ?, ?)", repo,
                uploading.objectId());

        Runs.run("{\"graceSeconds\":0}");
        assertTrue(registry.stored(orphan.objectId()), "a run lists the store for orphans only when asked");

        JsonPath run = Runs.run("{\"graceSeconds\":0,\"orphans\":true}");

        assertTrue(run.getBoolean("orphans"));
        assertFalse(registry.stored(orphan.objectId()), "an object no row names goes");
        assertTrue(registry.stored(uploading.objectId()), "an object an upload session names stays");
        assertEquals(1, run.getLong("objectsDeleted"));
        assertEquals(600, run.getLong("bytesFreed"));
        registry.update("DELETE FROM uploads WHERE object_id = ?", uploading.objectId());
    }
}
