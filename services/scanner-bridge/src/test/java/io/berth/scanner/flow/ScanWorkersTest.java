package io.berth.scanner.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.config.ScannerConfig;
import io.berth.scanner.inventory.StreamingTestData;
import io.berth.scanner.inventory.TestLayers;
import io.berth.scanner.support.TestAuth;
import io.berth.scanner.vulndb.OsvData;
import io.berth.scanner.vulndb.VulnerabilityDb;
import io.berth.storage.BlobStore;
import io.berth.workers.WorkerPool;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue and its workers against the real PostgreSQL and object store: jobs queued as the scan
 * API queues them (a plain INSERT), claimed once each by competing workers, taken over from a
 * dead owner, failed with a clear error on bad input or after three attempts, an index reported
 * as the union of its children, and the report and its event committed together.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class ScanWorkersTest {

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    VulnerabilityDb vulndb;

    @Inject
    ScanWorkers workers;

    @Inject
    FlowConfig config;

    @Inject
    ScannerConfig scannerConfig;

    ScanFixture fx;
    long builtin;
    final List<WorkerPool<?>> extraPools = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new ScanFixture(db, store);
        workers.pool().stop(); // no scan of an earlier test's leftovers while they are deleted
        fx.cleanUp();
        vulndb.importStream(new ByteArrayInputStream(OsvData.zipOf(OsvData.ALL)), VulnerabilityDb.Kind.ZIP_PARTIAL,
                "flow-test", "test");
        builtin = fx.scanner("berth");
        workers.pool().start();
    }

    @AfterEach
    void tearDown() {
        extraPools.forEach(WorkerPool::stop);
        extraPools.clear();
        workers.pool().start();
    }

    private Map<String, Object> awaitJob(long job, String status) throws InterruptedException {
        return fx.await(60, status, "SELECT status, attempts, owner, error FROM scan_jobs WHERE id = ?", job);
    }

    private ScanFixture.Manifest debian(ScanFixture.Repo repo) {
        return fx.image(repo, fx.blob(repo, Images.debianLayer(), TestLayers.GZIP));
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals(2, scannerConfig.concurrentScans());
        assertEquals(java.time.Duration.ofSeconds(1), config.pollInterval());
        assertEquals(java.time.Duration.ofSeconds(5), config.heartbeat());
        assertEquals(java.time.Duration.ofSeconds(60), config.takeoverAfter());
        assertEquals(3, config.maxAttempts());
    }

    @Test
    void twoWorkersRunEachJobOnce() throws Exception {
        workers.pool().stop(); // only the two pools below claim
        ScanFixture.Repo repo = fx.repo(false);
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ScanFixture.Manifest m = fx.image(repo, fx.blob(repo, Images.plainLayer(), TestLayers.GZIP));
            jobs.add(fx.enqueue(m, builtin, "manual", 0));
        }
        WorkerPool<?> a = workers.newPool("test-a", 2);
        WorkerPool<?> b = workers.newPool("test-b", 2);
        extraPools.addAll(List.of(a, b));
        a.start();
        b.start();
        Set<String> owners = new HashSet<>();
        for (long job : jobs) {
            Map<String, Object> row = awaitJob(job, "succeeded");
            assertEquals("succeeded", row.get("status"), "job " + job + ": " + row);
            assertEquals("1", row.get("attempts"), "claimed once: " + row);
            owners.add((String) row.get("owner"));
        }
        assertTrue(Set.of("test-a", "test-b").containsAll(owners), owners.toString());
        assertEquals(8, fx.number("""
                SELECT count(*) FROM outbox o JOIN manifests m ON m.digest = o.payload -> 'data' ->> 'digest'
                WHERE o.event_type = 'io.berth.scan.completed.v1' AND m.repository_id = ?""", repo.id()),
                "one report event per job: no job ran twice");
    }

    @Test
    void aDeadOwnersJobIsTakenOver() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = debian(repo);
        long job = fx.number("""
                INSERT INTO scan_jobs (manifest_id, scanner_id, trigger, status, attempts, owner, heartbeat_at, started_at)
                VALUES (?, ?, 'manual', 'running', 1, 'dead-replica', now() - interval '2 minutes',
                        now() - interval '3 minutes') RETURNING id""", m.id(), builtin);
        Map<String, Object> row = awaitJob(job, "succeeded");
        assertEquals("succeeded", row.get("status"), row.toString());
        assertEquals("2", row.get("attempts"), "the dead owner's attempt counts");
        assertEquals(workers.pool().owner(), row.get("owner"));
    }

    @Test
    void aBadLayerFailsWithAClearErrorAndTheQueueMovesOn() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        byte[] script = "#!/bin/sh\necho this is not a layer\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        ScanFixture.Blob notATar = fx.blob(repo, script, TestLayers.GZIP);
        ScanFixture.Manifest bad = fx.image(repo, notATar);
        ScanFixture.Manifest good = debian(repo);
        long badJob = fx.enqueue(bad, builtin, "manual", 5);
        long goodJob = fx.enqueue(good, builtin, "manual", 0);

        Map<String, Object> row = awaitJob(badJob, "failed");
        assertEquals("failed", row.get("status"), row.toString());
        assertEquals("1", row.get("attempts"), "bad input is not retried");
        String error = (String) row.get("error");
        assertTrue(error.startsWith("layer " + notATar.digest() + ": cannot read"), error);
        assertEquals(Map.of("status", "error", "error", error), fx.row(
                "SELECT status, error FROM manifest_scans WHERE manifest_id = ?", bad.id()),
                "the browsing API and the gate see the error");
        assertEquals(Map.of("status", "error", "error", error), fx.row(
                "SELECT status, error FROM scan_reports WHERE manifest_id = ?", bad.id()));
        assertEquals(error, fx.row("""
                SELECT payload -> 'data' ->> 'error' FROM outbox WHERE event_type = 'io.berth.scan.failed.v1'
                AND payload -> 'data' ->> 'digest' = ?""", bad.digest()).values().iterator().next());
        assertEquals("succeeded", awaitJob(goodJob, "succeeded").get("status"));
    }

    @Test
    void aMalformedPackageDatabaseIsAWarnedSuccess() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        byte[] layer = TestLayers.compress(TestLayers.tar()
                .resource("etc/os-release", "os-release-debian12")
                .file("var/lib/dpkg/status", readStatus() + "Package: broken\nthis line is not a field\n\n")
                .bytes(), TestLayers.Compression.GZIP);
        ScanFixture.Manifest m = fx.image(repo, fx.blob(repo, layer, TestLayers.GZIP));
        long job = fx.enqueue(m, builtin, "manual", 0);
        assertEquals("succeeded", awaitJob(job, "succeeded").get("status"));
        Map<String, Object> report = fx.row("""
                SELECT status, warnings::text AS w, vulnerabilities::text AS v FROM scan_reports WHERE manifest_id = ?""",
                m.id());
        assertEquals("success", report.get("status"));
        assertTrue(report.get("w").toString().contains("malformed stanza"), report.get("w").toString());
        assertTrue(report.get("v").toString().contains("DEBIAN-CVE-2023-45853"), "the rest is kept");
    }

    private static String readStatus() throws java.io.IOException {
        try (InputStream in = ScanWorkersTest.class.getResourceAsStream("/inventory/dpkg-status")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void retriesStopAfterThreeAttempts() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Blob lost = fx.lostBlob(repo, TestLayers.GZIP);
        ScanFixture.Manifest m = fx.image(repo, lost);
        long job = fx.enqueue(m, builtin, "manual", 0);
        Map<String, Object> row = awaitJob(job, "failed");
        assertEquals("failed", row.get("status"), row.toString());
        assertEquals("3", row.get("attempts"));
        assertTrue(row.get("error").toString().startsWith("failed after 3 attempts: blob " + lost.digest()
                + " (object "), row.toString());
        assertTrue(row.get("error").toString().endsWith("is missing from the object store"), row.toString());
        assertEquals("error", fx.row("SELECT status FROM scan_reports WHERE manifest_id = ?", m.id()).get("status"));
    }

    @Test
    void aHugeLayerStreamsThrough() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (InputStream zeros = StreamingTestData.zeroFilledTar(512L << 20, "var/cache/zeros.bin");
                GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
            zeros.transferTo(out);
        }
        ScanFixture.Manifest m = fx.image(repo, fx.blob(repo, Images.debianLayer(), TestLayers.GZIP),
                fx.blob(repo, gz.toByteArray(), TestLayers.GZIP));
        long job = fx.enqueue(m, builtin, "manual", 0);
        assertEquals("succeeded", fx.await(120, "succeeded", "SELECT status FROM scan_jobs WHERE id = ?", job)
                .get("status"));
        assertTrue(fx.row("SELECT vulnerabilities::text AS v FROM scan_reports WHERE manifest_id = ?", m.id()).get("v")
                .toString().contains("DEBIAN-CVE-2023-45853"));
    }

    @Test
    void anIndexReportsTheUnionOfItsChildren() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest debian = debian(repo);
        ScanFixture.Manifest app = fx.image(repo, fx.blob(repo, Images.plainLayer(), TestLayers.GZIP),
                fx.blob(repo, Images.log4jLayer(), TestLayers.GZIP));
        ScanFixture.Manifest index = fx.index(repo, debian, app);
        long job = fx.enqueue(index, builtin, "manual", 0);
        Map<String, Object> row = awaitJob(job, "succeeded");
        assertEquals("succeeded", row.get("status"), row.toString());
        assertEquals("1", row.get("attempts"), "waiting for the children is no attempt");
        assertEquals(2, fx.number("SELECT count(*) FROM scan_reports WHERE manifest_id IN (?, ?) AND status = 'success'",
                debian.id(), app.id()), "each child has its own report");
        Map<String, Object> report = fx.row("""
                SELECT status, vulnerabilities::text AS v, summary ->> 'total' AS total, summary ->> 'critical' AS critical,
                       sbom FROM scan_reports WHERE manifest_id = ?""", index.id());
        assertEquals("success", report.get("status"));
        String v = report.get("v").toString();
        assertTrue(v.contains("DEBIAN-CVE-2023-45853") && v.contains(OsvData.LOG4SHELL), v);
        assertEquals(fx.number("""
                SELECT sum((summary ->> 'total')::int) FROM scan_reports WHERE manifest_id IN (?, ?)""", debian.id(),
                app.id()), Long.parseLong(report.get("total").toString()));
        assertEquals("2", report.get("critical"));
        assertNull(report.get("sbom"), "the children carry the SBOMs");
        assertEquals(2, fx.number("SELECT count(*) FROM scan_findings WHERE manifest_id = ? AND severity = 'critical'",
                index.id()));
    }

    @Test
    void anArtifactThatIsNotAnImageHasAnEmptyReport() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = fx.helmChart(repo);
        long job = fx.enqueue(m, builtin, "manual", 0);
        assertEquals("succeeded", awaitJob(job, "succeeded").get("status"));
        assertEquals(Map.of("status", "success", "total", "0", "sbom", "none"), fx.row("""
                SELECT status, summary ->> 'total' AS total, coalesce(sbom::text, 'none') AS sbom
                FROM scan_reports WHERE manifest_id = ?""", m.id()));
    }

    @Test
    void theReportAndItsEventCommitTogether() throws Exception {
        ScanFixture.Repo repo = fx.repo(true);
        ScanFixture.Manifest m = debian(repo);
        long job = fx.enqueue(m, builtin, "push", 0);
        awaitJob(job, "succeeded");
        // now() is the transaction's start: one value for every row one transaction writes
        assertEquals(Map.of("same", "t"), fx.row("""
                SELECT (r.generated_at = o.created_at AND j.finished_at = o.created_at AND s.updated_at = o.created_at) AS same
                FROM scan_reports r JOIN scan_jobs j ON j.manifest_id = r.manifest_id
                JOIN manifest_scans s ON s.manifest_id = r.manifest_id
                JOIN outbox o ON o.event_type = 'io.berth.scan.completed.v1' AND o.payload -> 'data' ->> 'digest' = ?
                WHERE r.manifest_id = ? AND j.id = ?""", m.digest(), m.id(), job));
    }

    @Test
    void anImportThatChangesRecordsQueuesRescans() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = debian(repo);
        awaitJob(fx.enqueue(m, builtin, "manual", 0), "succeeded");
        workers.pool().stop(); // keep the rescan queued, to look at it
        String changed = OsvData.record(OsvData.DEBIAN_ZLIB).replaceFirst("\"modified\": \"[^\"]+\"",
                "\"modified\": \"2030-01-01T00:00:00Z\"");
        vulndb.importStream(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)),
                VulnerabilityDb.Kind.RECORD, "flow-test", "test");
        assertEquals(Map.of("trigger", "rescan", "priority", "-10", "status", "queued"), fx.row("""
                SELECT trigger, priority, status FROM scan_jobs WHERE manifest_id = ? AND trigger = 'rescan'""", m.id()));
        // and an unchanged import queues nothing more
        vulndb.importStream(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8)),
                VulnerabilityDb.Kind.RECORD, "flow-test", "test");
        assertEquals(1, fx.number("SELECT count(*) FROM scan_jobs WHERE manifest_id = ? AND trigger = 'rescan'", m.id()));
        workers.pool().start();
        assertEquals("succeeded", fx.await(60, "succeeded",
                "SELECT status FROM scan_jobs WHERE manifest_id = ? AND trigger = 'rescan'", m.id()).get("status"));
    }
}
