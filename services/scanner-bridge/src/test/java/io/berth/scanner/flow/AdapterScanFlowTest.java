package io.berth.scanner.flow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.inventory.TestLayers;
import io.berth.scanner.pluggable.DistributionRegistry;
import io.berth.scanner.support.TestAuth;
import io.berth.scanner.vulndb.OsvData;
import io.berth.scanner.vulndb.VulnerabilityDb;
import io.berth.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue with an adapter scanner, end to end inside the test app: an adapter registered through
 * the scanner API that is this app's own Pluggable Scanner API server, chosen as the project's
 * scanner; the image in a real distribution registry behind a front that wants Bearer tokens
 * ({@link TokenRegistry}, berth's registry as adapters reach it); a queued job that a worker runs,
 * the adapter pulling with the token berth minted, and the report, the pull gate's row and the
 * event written as for the built-in scanner. An adapter that cannot be reached or refuses berth
 * ends as a failed scan after three attempts.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@QuarkusTestResource(value = TokenRegistry.class, restrictToAnnotatedClass = true)
class AdapterScanFlowTest {

    static final String KEY = "test-pluggable-api-key-0123456789";

    @Inject
    DataSource db;

    @Inject
    BlobStore store;

    @Inject
    VulnerabilityDb vulndb;

    @Inject
    ScanWorkers workers;

    @TestHTTPResource("/scanner")
    URL self;

    ScanFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ScanFixture(db, store);
        workers.pool().stop(); // no scan of an earlier test's leftovers while they are deleted
        fx.cleanUp();
        fx.update("DELETE FROM scanners WHERE name LIKE 'flow-adapter-%'");
        vulndb.importStream(new ByteArrayInputStream(OsvData.zipOf(OsvData.ALL)), VulnerabilityDb.Kind.ZIP_PARTIAL,
                "adapter-flow-test", "test");
        workers.pool().start();
    }

    @AfterEach
    void tearDown() {
        fx.cleanUp();
        fx.update("DELETE FROM scanners WHERE name LIKE 'flow-adapter-%'");
    }

    private Map<String, Object> awaitJob(long job, String status) throws InterruptedException {
        return fx.await(90, status, "SELECT status, attempts, error FROM scan_jobs WHERE id = ?", job);
    }

    /** The Debian 12 image (zlib1g, CVE-2023-45853) in berth's tables and, byte for byte, in the registry. */
    private ScanFixture.Manifest debianInBoth(ScanFixture.Repo repo) throws Exception {
        byte[] layer = Images.debianLayer();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + ScanFixture.random() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ScanFixture.Manifest m = fx.imageOf(repo, fx.blob(repo, config, ScanFixture.OCI_CONFIG),
                fx.blob(repo, layer, TestLayers.GZIP));
        DistributionRegistry registry = TokenRegistry.registry();
        registry.pushBlob(repo.name(), layer);
        registry.pushBlob(repo.name(), config);
        assertEquals(m.digest(), registry.pushManifest(repo.name(), "1.0", ScanFixture.OCI_MANIFEST, fx.content(m)));
        fx.update("INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, '1.0', ?)", repo.id(), m.id());
        return m;
    }

    @Test
    void anAdapterChosenByTheProjectScansThroughTheQueue() throws Exception {
        String name = "flow-adapter-" + ScanFixture.random();
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"url\":\"" + self + "\",\"auth\":\"api-key\",\"secret\":\"" + KEY + "\"}")
                .post("/api/v1/scanners").then().statusCode(201);
        ScanFixture.Repo repo = fx.repo(false);
        String project = repo.name().substring(0, repo.name().indexOf('/'));
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON)
                .body("{\"scanner\":\"" + name + "\"}").put("/api/v1/projects/" + project + "/scanner").then()
                .statusCode(200);
        ScanFixture.Manifest m = debianInBoth(repo);
        long adapter = fx.scanner(name);
        int pullsBefore = TokenRegistry.pulls().size();

        long job = fx.enqueue(m, adapter, "manual", 0);
        Map<String, Object> row = awaitJob(job, "succeeded");
        assertEquals("succeeded", row.get("status"), row.toString());
        assertEquals("1", row.get("attempts"), row.toString());

        Map<String, Object> report = fx.row("""
                SELECT status, summary ->> 'critical' AS critical, vulnerabilities::text AS v, sbom ->> 'bomFormat' AS sbom,
                       vulndb_import_id FROM scan_reports WHERE manifest_id = ? AND scanner_id = ?""", m.id(), adapter);
        assertEquals("success", report.get("status"), report.toString());
        assertEquals("1", report.get("critical"), report.toString());
        String v = report.get("v").toString();
        // berth's Pluggable API names the advisory by its CVE when it has one and keeps the rest as aliases
        assertTrue(v.contains("\"package\": \"zlib1g\"") && v.contains("CVE-2023-45853")
                && v.contains(OsvData.DEBIAN_ZLIB), v);
        assertEquals("CycloneDX", report.get("sbom"), "the adapter's CycloneDX SBOM is stored");
        assertNull(report.get("vulndb_import_id"), "an adapter matched against its own database");

        assertEquals(Map.of("status", "success", "scanner", name, "blocks", "t"), fx.row("""
                SELECT s.status, sc.name AS scanner, s.gate::text LIKE '%CVE-2023-45853%' AS blocks
                FROM manifest_scans s JOIN scanners sc ON sc.id = s.scanner_id WHERE s.manifest_id = ?""", m.id()),
                "the pull gate reads the adapter's report: it is the project's scanner");
        assertEquals(Map.of("scanner", name, "critical", "1"), fx.row("""
                SELECT payload -> 'data' ->> 'scanner' AS scanner, payload -> 'data' -> 'summary' ->> 'critical' AS critical
                FROM outbox WHERE event_type = 'io.berth.scan.completed.v1' AND payload -> 'data' ->> 'digest' = ?""",
                m.digest()));

        List<TokenRegistry.Pull> pulls = TokenRegistry.pulls().subList(pullsBefore, TokenRegistry.pulls().size());
        assertTrue(pulls.stream().anyMatch(p -> p.path().equals("/v2/" + repo.name() + "/manifests/" + m.digest())),
                "the adapter pulled the manifest from berth's registry URL with a Bearer token: " + pulls);
        assertFalse(pulls.stream().anyMatch(p -> !p.path().startsWith("/v2/" + repo.name() + "/")),
                "nothing but the one repository: " + pulls);
        assertTrue(pulls.stream().allMatch(p -> p.token().matches("svc-[0-9]+")),
                "every pull carried a token of auth's token service (TestAuth's svc-N): " + pulls);
    }

    /** An adapter row as registration would leave it, without the check that would refuse it. */
    private long adapterRow(String url) {
        return fx.number("INSERT INTO scanners (name, kind, url, auth_kind) VALUES (?, 'adapter', ?, 'none') RETURNING id",
                "flow-adapter-" + ScanFixture.random(), url);
    }

    @Test
    void anUnreachableAdapterFailsTheScanAfterThreeAttempts() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = debianInBoth(repo);
        long job = fx.enqueue(m, adapterRow("http://127.0.0.1:1"), "manual", 0);
        Map<String, Object> row = awaitJob(job, "failed");
        assertEquals("failed", row.get("status"), row.toString());
        assertEquals("3", row.get("attempts"), row.toString());
        String error = row.get("error").toString();
        assertTrue(error.startsWith("failed after 3 attempts: ") && error.contains("refused the connection"), error);
        assertEquals(error, fx.row("""
                SELECT payload -> 'data' ->> 'error' FROM outbox WHERE event_type = 'io.berth.scan.failed.v1'
                AND payload -> 'data' ->> 'digest' = ?""", m.digest()).values().iterator().next());
        assertEquals("error", fx.row("SELECT status FROM scan_reports WHERE manifest_id = ?", m.id()).get("status"));
    }

    @Test
    void anAdapterThatRefusesBerthFailsTheScanAfterThreeAttempts() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = debianInBoth(repo);
        long job = fx.enqueue(m, adapterRow(self.toString()), "manual", 0); // no API key: 401
        Map<String, Object> row = awaitJob(job, "failed");
        assertEquals("3", row.get("attempts"), row.toString());
        String error = row.get("error").toString();
        assertTrue(error.startsWith("failed after 3 attempts: ") && error.contains("refused berth's credentials (401"),
                error);
        assertEquals(1, fx.number("""
                SELECT count(*) FROM outbox WHERE event_type = 'io.berth.scan.failed.v1' AND payload -> 'data' ->> 'digest' = ?""",
                m.digest()));
    }

    @Test
    void anArtifactThatIsNotAnImageIsNotSentToTheAdapter() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = fx.helmChart(repo);
        long job = fx.enqueue(m, adapterRow("http://127.0.0.1:1"), "manual", 0); // would fail if asked
        Map<String, Object> row = awaitJob(job, "succeeded");
        assertEquals("1", row.get("attempts"), row.toString());
        assertEquals(Map.of("status", "success", "total", "0"), fx.row("""
                SELECT status, summary ->> 'total' AS total FROM scan_reports WHERE manifest_id = ?""", m.id()));
    }

    @Test
    void aDisabledAdapterScansNothing() throws Exception {
        ScanFixture.Repo repo = fx.repo(false);
        ScanFixture.Manifest m = debianInBoth(repo);
        long adapter = adapterRow(self.toString());
        fx.update("UPDATE scanners SET disabled = true WHERE id = ?", adapter);
        long job = fx.enqueue(m, adapter, "manual", 0);
        Map<String, Object> row = awaitJob(job, "failed");
        assertEquals("1", row.get("attempts"), row.toString());
        assertTrue(row.get("error").toString().endsWith(" is disabled"), row.toString());
    }
}
