package io.berth.scanner.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.inventory.TestLayers;
import io.berth.scanner.support.TestAuth;
import io.berth.scanner.vulndb.OsvData;
import io.berth.scanner.vulndb.VulnerabilityDb;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scan on push end to end: artifact.pushed on the real Kafka, the job in the real PostgreSQL,
 * the layers from the real object store, the finding from the shipped OSV data.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class ScanOnPushTest {

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    VulnerabilityDb vulndb;

    @Inject
    ScanWorkers workers;

    ScanFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ScanFixture(db, store);
        workers.pool().stop(); // no scan of an earlier test's leftovers while they are deleted
        fx.cleanUp();
        workers.pool().start();
        vulndb.importStream(new ByteArrayInputStream(OsvData.zipOf(OsvData.ALL)), VulnerabilityDb.Kind.ZIP_PARTIAL,
                "flow-test", "test");
    }

    private static void push(String key, ScanFixture.Manifest... manifests) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:9092");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (var producer = new KafkaProducer<String, String>(props)) {
            for (ScanFixture.Manifest m : manifests) {
                String project = m.repository().substring(0, m.repository().indexOf('/'));
                producer.send(new ProducerRecord<>("berth.artifacts", key, """
                        {"specversion":"1.0","id":"%s","source":"/berth/registry-api","type":"io.berth.artifact.pushed.v1",
                         "subject":"%s","time":"2026-12-01T10:00:00Z","datacontenttype":"application/json",
                         "data":{"project":"%s","repository":"%s","digest":"%s","tag":"latest",
                                 "mediaType":"application/vnd.oci.image.manifest.v1+json","size":500}}"""
                        .formatted(java.util.UUID.randomUUID(), m.repository(), project, m.repository(), m.digest())))
                        .get();
            }
        }
    }

    private ScanFixture.Manifest debianImage(ScanFixture.Repo repo) {
        return fx.image(repo, fx.blob(repo, Images.debianLayer(), TestLayers.GZIP));
    }

    @Test
    void aPushHeardOnKafkaGivesAReportWithARealFinding() throws Exception {
        ScanFixture.Repo repo = fx.repo(true);
        ScanFixture.Manifest m = debianImage(repo);
        push(repo.name(), m);

        Map<String, Object> scan = fx.await(90, "success",
                "SELECT status, summary::text AS summary, gate::text AS gate, error FROM manifest_scans WHERE manifest_id = ?",
                m.id());
        assertEquals("success", scan.get("status"), "manifest_scans: " + scan);
        assertTrue(scan.get("summary").toString().contains("\"critical\": 1"), scan.toString());
        assertTrue(scan.get("gate").toString().contains("\"CVE-2023-45853\""), scan.toString());
        assertTrue(scan.get("gate").toString().contains("\"severity\": \"critical\""), scan.toString());

        Map<String, Object> report = fx.row("""
                SELECT r.status, r.vulnerabilities::text AS v, r.sbom::text AS sbom, r.vulndb_import_id,
                       (SELECT max(id) FROM vuln_imports WHERE status = 'succeeded') AS last_import, s.name AS scanner
                FROM scan_reports r JOIN scanners s ON s.id = r.scanner_id WHERE r.manifest_id = ?""", m.id());
        assertEquals("success", report.get("status"));
        assertEquals("berth", report.get("scanner"), "the default scanner: the built-in one");
        String v = report.get("v").toString();
        assertTrue(v.contains("\"id\": \"DEBIAN-CVE-2023-45853\""), v);
        assertTrue(v.contains("\"package\": \"zlib1g\""), v);
        assertTrue(v.contains("\"installedVersion\": \"1:1.2.13.dfsg-1\""), v);
        assertTrue(report.get("sbom").toString().contains("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"), "the SBOM lists it");
        assertEquals(report.get("last_import"), report.get("vulndb_import_id"));

        assertEquals("critical", fx.row("""
                SELECT severity FROM scan_findings WHERE manifest_id = ? AND 'CVE-2023-45853' = ANY (ids)""", m.id())
                .get("severity"));
        Map<String, Object> job = fx.row("SELECT status, trigger, attempts FROM scan_jobs WHERE manifest_id = ?", m.id());
        assertEquals(Map.of("status", "succeeded", "trigger", "push", "attempts", "1"), job);
        Map<String, Object> event = fx.row("""
                SELECT event_key, topic, payload -> 'data' ->> 'digest' AS digest, payload ->> 'source' AS source,
                       payload -> 'data' -> 'summary' ->> 'critical' AS critical
                FROM outbox WHERE event_type = 'io.berth.scan.completed.v1' AND payload -> 'data' ->> 'digest' = ?""",
                m.digest());
        assertEquals(Map.of("event_key", repo.name(), "topic", "berth.scans", "digest", m.digest(),
                "source", "/berth/scanner-bridge", "critical", "1"), event);
    }

    @Test
    void withScanOnPushOffNothingIsQueued() throws Exception {
        ScanFixture.Repo off = fx.repo(false);
        ScanFixture.Manifest quiet = debianImage(off);
        ScanFixture.Repo on = fx.repo(true);
        ScanFixture.Manifest marker = fx.image(on, fx.blob(on, Images.plainLayer(), TestLayers.GZIP));
        // one key, one partition: when the marker's job exists, the first event was heard too
        push("flow-order", quiet, marker);
        assertEquals("1", fx.await(90, "1", "SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", marker.id())
                .values().iterator().next());
        assertEquals(0, fx.number("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", quiet.id()));
        assertEquals(0, fx.number("SELECT count(*) FROM manifest_scans WHERE manifest_id = ?", quiet.id()));
    }

    @Test
    void anSbomArtifactIsNotQueued() throws Exception {
        ScanFixture.Repo repo = fx.repo(true);
        // What scanner-bridge pushes (ADR 0035): an empty config, one CycloneDX layer, the artifact type.
        ScanFixture.Manifest sbom = fx.image(repo, "application/vnd.oci.empty.v1+json",
                fx.blob(repo, "{\"bomFormat\":\"CycloneDX\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "application/vnd.cyclonedx+json"));
        fx.update("UPDATE manifests SET artifact_type = 'application/vnd.cyclonedx+json' WHERE id = ?", sbom.id());
        ScanFixture.Manifest marker = fx.image(repo, fx.blob(repo, Images.plainLayer(), TestLayers.GZIP));
        push("flow-sbom", sbom, marker);
        assertEquals("1", fx.await(90, "1", "SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", marker.id())
                .values().iterator().next());
        assertEquals(0, fx.number("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", sbom.id()));
        assertEquals(0, fx.number("SELECT count(*) FROM manifest_scans WHERE manifest_id = ?", sbom.id()));
    }

    @Test
    void twoPushesOfOneDigestAreOneJob() throws Exception {
        ScanFixture.Repo repo = fx.repo(true);
        ScanFixture.Manifest m = debianImage(repo);
        ScanFixture.Manifest marker = fx.image(repo, fx.blob(repo, Images.plainLayer(), TestLayers.GZIP));
        push("flow-twice", m, m);
        fx.await(90, "success", "SELECT status FROM manifest_scans WHERE manifest_id = ?", m.id());
        push("flow-twice", m, marker); // a third push, after the report: still nothing new
        assertEquals("1", fx.await(90, "1", "SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", marker.id())
                .values().iterator().next());
        assertEquals(1, fx.number("SELECT count(*) FROM scan_jobs WHERE manifest_id = ?", m.id()));
        assertEquals(1, fx.number("""
                SELECT count(*) FROM outbox WHERE event_type = 'io.berth.scan.completed.v1'
                AND payload -> 'data' ->> 'digest' = ?""", m.digest()));
        assertNotNull(fx.row("SELECT 1 FROM scan_reports WHERE manifest_id = ?", m.id()).get("?column?"));
    }
}
