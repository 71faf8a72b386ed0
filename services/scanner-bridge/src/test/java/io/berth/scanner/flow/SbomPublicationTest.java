package io.berth.scanner.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.inventory.TestLayers;
import io.berth.scanner.pluggable.DistributionRegistry;
import io.berth.scanner.registry.RegistryPusher;
import io.berth.scanner.registry.SbomArtifact;
import io.berth.scanner.registry.SbomPublisher;
import io.berth.scanner.support.TestAuth;
import io.berth.scanner.vulndb.OsvData;
import io.berth.scanner.vulndb.VulnerabilityDb;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in scanner's SBOM pushed as an OCI artifact (ADR 0035) to a real registry (Debian's
 * docker-registry, CNCF distribution), with the token the stand-in for auth hands scanner-bridge's
 * service account: pending until pushed, retried with backoff while the registry or auth is down,
 * pushed once however many publishers run, and the same artifact after a rescan.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class SbomPublicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DistributionRegistry registry;

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    VulnerabilityDb vulndb;

    @Inject
    SbomPublisher publisher;

    ScanFixture fx;
    long builtin;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = DistributionRegistry.startOpen();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    @BeforeEach
    void setUp() {
        fx = new ScanFixture(db, store);
        fx.cleanUp();
        vulndb.importStream(new ByteArrayInputStream(OsvData.zipOf(OsvData.ALL)), VulnerabilityDb.Kind.ZIP_PARTIAL,
                "sbom-test", "test");
        builtin = fx.scanner("berth");
        // Other tests' reports are not this test's to publish.
        fx.update("UPDATE scan_reports SET sbom_publish_after = now() + interval '1 day' WHERE sbom_digest IS NULL");
    }

    @AfterEach
    void tearDown() {
        TestAuth.tokenServiceDown(false);
    }

    private ScanFixture.Manifest scanned(ScanFixture.Repo repo, ScanFixture.Manifest m) throws InterruptedException {
        long job = fx.enqueue(m, builtin, "manual", 0);
        assertEquals("succeeded", fx.await(60, "succeeded", "SELECT status FROM scan_jobs WHERE id = ?", job).get("status"));
        return m;
    }

    private Map<String, Object> report(ScanFixture.Manifest m) {
        return fx.row("""
                SELECT sbom_digest, sbom_publish_attempts, sbom_publish_error, sbom IS NOT NULL AS has_sbom,
                    sbom_publish_after > now() + interval '20 seconds' AS backing_off, sbom::text AS sbom
                FROM scan_reports WHERE manifest_id = ? AND scanner_id = ?""", m.id(), builtin);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", SbomArtifact.MANIFEST_TYPE).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSbomIsPushedWithTheImageAsSubjectAfterRetriesWhileRegistryAndAuthAreDown() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest image = scanned(repo, fx.image(repo, fx.blob(repo, Images.debianLayer(), TestLayers.GZIP)));
        Map<String, Object> pending = report(image);
        assertEquals("t", pending.get("has_sbom"));
        assertNull(pending.get("sbom_digest"), "pending until pushed");

        // auth is down (first: a token, once got, is cached for its life).
        RegistryPusher up = new RegistryPusher(registry.url(), Duration.ofSeconds(10));
        TestAuth.tokenServiceDown(true);
        assertEquals(0, publisher.publishDue(up));
        Map<String, Object> authDown = report(image);
        assertNull(authDown.get("sbom_digest"));
        assertEquals("1", authDown.get("sbom_publish_attempts"));
        assertTrue(String.valueOf(authDown.get("sbom_publish_error")).contains("503"), authDown.toString());
        assertEquals("t", authDown.get("backing_off"));
        assertTrue(publisher.waiting().isPresent());
        // Backing off: not due, so it is not tried again yet, even with auth back.
        TestAuth.tokenServiceDown(false);
        assertEquals(0, publisher.publishDue(up));
        assertEquals("1", report(image).get("sbom_publish_attempts"));

        // The registry is down (nothing listens there): the attempt counts and backs off longer.
        fx.update("UPDATE scan_reports SET sbom_publish_after = now() WHERE manifest_id = ?", image.id());
        assertEquals(0, publisher.publishDue(new RegistryPusher("http://127.0.0.1:1", Duration.ofSeconds(2))));
        Map<String, Object> down = report(image);
        assertNull(down.get("sbom_digest"));
        assertEquals("2", down.get("sbom_publish_attempts"));
        assertTrue(String.valueOf(down.get("sbom_publish_error")).contains("cannot be reached"), down.toString());
        assertEquals("t", fx.row("""
                SELECT sbom_publish_after > now() + interval '50 seconds' FROM scan_reports
                WHERE manifest_id = ? AND scanner_id = ?""", image.id(), builtin).values().iterator().next(),
                "the second failure waits twice the first's 30 s");

        // Both up: two publishers at once (two replicas) push it once.
        fx.update("UPDATE scan_reports SET sbom_publish_after = now() WHERE manifest_id = ?", image.id());
        var a = CompletableFuture.supplyAsync(() -> publisher.publishDue(up));
        var b = CompletableFuture.supplyAsync(() -> publisher.publishDue(up));
        assertEquals(1, a.get() + b.get());
        Map<String, Object> pushed = report(image);
        String digest = (String) pushed.get("sbom_digest");
        assertNotNull(digest);
        assertNull(pushed.get("sbom_publish_error"));
        assertTrue(publisher.waiting().isEmpty());

        HttpResponse<String> manifest = get("/v2/" + repo.name() + "/manifests/" + digest);
        assertEquals(200, manifest.statusCode(), manifest.body());
        JsonNode m = JSON.readTree(manifest.body());
        assertEquals(SbomArtifact.MANIFEST_TYPE, m.path("mediaType").asText());
        assertEquals("application/vnd.cyclonedx+json", m.path("artifactType").asText());
        assertEquals("application/vnd.oci.empty.v1+json", m.path("config").path("mediaType").asText());
        assertEquals(image.digest(), m.path("subject").path("digest").asText());
        assertEquals(ScanFixture.OCI_MANIFEST, m.path("subject").path("mediaType").asText());
        assertEquals(1, m.path("layers").size());
        HttpResponse<String> blob = get("/v2/" + repo.name() + "/blobs/" + m.path("layers").get(0).path("digest").asText());
        assertEquals(200, blob.statusCode());
        JsonNode sbom = JSON.readTree(blob.body());
        assertEquals("CycloneDX", sbom.path("bomFormat").asText());
        assertTrue(blob.body().contains("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"), blob.body());
        assertEquals(JSON.readTree((String) pushed.get("sbom")), sbom, "the SBOM GET .../sbom serves");

        // A rescan (as after a vulnerability database import) writes the same SBOM: nothing new to push.
        scanned(repo, image);
        assertEquals(digest, report(image).get("sbom_digest"));
        assertEquals(0, publisher.publishDue(up));
    }

    @Test
    void anArtifactThatIsNotAnImageGetsNoSbomSoTheSbomArtifactIsNeverScannedIntoAnother() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        byte[] cyclonedx = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}".getBytes(StandardCharsets.UTF_8);
        ScanFixture.Manifest sbomArtifact = scanned(repo, fx.image(repo, "application/vnd.oci.empty.v1+json",
                fx.blob(repo, cyclonedx, "application/vnd.cyclonedx+json")));
        Map<String, Object> r = report(sbomArtifact);
        assertEquals("f", r.get("has_sbom"));
        assertEquals(0, publisher.publishDue(new RegistryPusher(registry.url(), Duration.ofSeconds(10))));
    }
}
