package io.berth.scanner.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.adapter.StandInAdapter.Answer;
import io.berth.scanner.vulndb.Severity;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** berth's adapter client against a stand-in server of the spec, over real HTTP on 127.0.0.1. */
class AdapterClientTest {

    static final String METADATA = """
            {"scanner":{"name":"Trivy","vendor":"Aqua Security","version":"0.50.1"},
             "capabilities":[{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json",
               "application/vnd.docker.distribution.manifest.v2+json"],
               "produces_mime_types":["application/vnd.security.vulnerability.report; version=1.1"]}],
             "properties":{"harbor.scanner-adapter/scanner-type":"os-package-vulnerability"}}""";
    static final String REPORT = """
            {"generated_at":"2026-12-01T10:00:00Z","scanner":{"name":"Trivy","vendor":"Aqua Security","version":"0.50.1"},
             "severity":"High","vulnerabilities":[
              {"id":"CVE-2023-45853","package":"zlib1g","version":"1:1.2.13.dfsg-1","fix_version":"1:1.3",
               "severity":"High","description":"integer overflow","links":["https://avd.example/CVE-2023-45853"],
               "preferred_cvss":{"score_v3":9.8},"vendor_attributes":{"aliases":["DEBIAN-CVE-2023-45853"],
               "purl":"pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"}},
              {"id":"CVE-2011-3374","package":"apt","version":"2.6.1","severity":"Negligible","links":[]}]}""";
    static final String REPORT_PATH = "/api/v1/scan/s-1/report";

    StandInAdapter adapter;
    AdapterClient client;

    @BeforeEach
    void start() throws Exception {
        adapter = new StandInAdapter();
        client = client(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        adapter.close();
    }

    static AdapterClient client(Duration requestTimeout, Duration maxWait) {
        return new AdapterClient(new AdapterClient.Settings(Duration.ofSeconds(2), requestTimeout, maxWait,
                Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofSeconds(2), 1024 * 1024), new ObjectMapper());
    }

    ScannerEndpoint endpoint(AuthKind auth, String secret) {
        return new ScannerEndpoint("trivy", adapter.url(), auth, secret, false);
    }

    static final RegistryAccess REGISTRY = new RegistryAccess("https://registry.example", "Bearer pull-token");
    static final ArtifactRef ARTIFACT = new ArtifactRef("team/app", "sha256:" + "a".repeat(64), "1.0",
            SpecMediaTypes.OCI_MANIFEST);

    void happyPath(Answer... reports) {
        adapter.on("/api/v1/metadata", Answer.json(200, METADATA))
                .on("/api/v1/scan", Answer.json(202, "{\"id\":\"s-1\"}"))
                .on(REPORT_PATH, reports);
    }

    AdapterException fails(Answer report) {
        happyPath(report);
        return assertThrows(AdapterException.class, () -> client.scan(endpoint(AuthKind.NONE, null), REGISTRY, ARTIFACT));
    }

    @Test
    void scanMapsTheReportIntoBerthsShape() throws Exception {
        happyPath(Answer.json(200, REPORT));
        AdapterReport report = client.scan(endpoint(AuthKind.NONE, null), REGISTRY, ARTIFACT);
        assertEquals(new AdapterReport.Scanner("Trivy", "Aqua Security", "0.50.1"), report.scanner());
        assertEquals(2, report.vulnerabilities().size());
        AdapterVulnerability zlib = report.vulnerabilities().get(0);
        assertEquals(new AdapterVulnerability("CVE-2023-45853", List.of("DEBIAN-CVE-2023-45853"), "zlib1g",
                "1:1.2.13.dfsg-1", "1:1.3", Severity.HIGH, 9.8, "integer overflow",
                List.of("https://avd.example/CVE-2023-45853"), "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"), zlib);
        AdapterVulnerability apt = report.vulnerabilities().get(1);
        assertEquals(Severity.LOW, apt.severity(), "Negligible is berth's LOW");
        assertNull(apt.fixedVersion());
        assertEquals(1, report.countsBySeverity().get(Severity.HIGH));
        assertNull(report.sbom(), "this adapter offers no SBOM");
        assertEquals("2026-12-01T10:00:00Z", report.generatedAt().toString());
    }

    @Test
    void theScanRequestCarriesTheRegistryAndArtifact() throws Exception {
        happyPath(Answer.json(200, REPORT));
        client.scan(endpoint(AuthKind.NONE, null), REGISTRY, ARTIFACT);
        // metadata, scan, report: the scan request is the second request
        Map<String, List<String>> scan = adapter.requests.get(1);
        assertEquals(List.of(SpecMediaTypes.SCAN_REQUEST_1_1), scan.get("Content-type"));
    }

    @Test
    void everyAuthKindSendsItsHeader() throws Exception {
        adapter.on("/api/v1/metadata", Answer.json(200, METADATA));
        client.metadata(endpoint(AuthKind.BASIC, "harbor:s3cret"));
        client.metadata(endpoint(AuthKind.BEARER, "tok"));
        client.metadata(endpoint(AuthKind.API_KEY, "key-1"));
        client.metadata(endpoint(AuthKind.NONE, null));
        assertEquals(List.of("Basic aGFyYm9yOnMzY3JldA=="), adapter.requests.get(0).get("Authorization"));
        assertEquals(List.of("Bearer tok"), adapter.requests.get(1).get("Authorization"));
        assertEquals(List.of("key-1"), adapter.requests.get(2).get("X-scanneradapter-api-key"));
        assertNull(adapter.requests.get(3).get("Authorization"));
        assertNull(adapter.requests.get(3).get("X-scanneradapter-api-key"));
    }

    @Test
    void pollsWhileTheAdapterAnswers302HonouringRefreshAfter() throws Exception {
        Answer running = new Answer(302, Map.of("Refresh-After", "1"), null, 0);
        happyPath(running, running, Answer.json(200, REPORT));
        long start = System.nanoTime();
        AdapterReport report = client.scan(endpoint(AuthKind.NONE, null), REGISTRY, ARTIFACT);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(2, report.vulnerabilities().size());
        assertEquals(3, adapter.calls(REPORT_PATH));
        assertTrue(millis >= 1900, "waited the 2 x 1 s that Refresh-After asked, not " + millis + " ms");
    }

    @Test
    void a302LoopEndsAtTheTotalWait() {
        client = client(Duration.ofSeconds(5), Duration.ofMillis(600));
        AdapterException e = fails(new Answer(302, Map.of("Refresh-After", "0"), null, 0));
        assertEquals(AdapterException.Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("still 302"), e.getMessage());
        assertTrue(adapter.calls(REPORT_PATH) > 3, "polled at the minimum interval: " + adapter.calls(REPORT_PATH));
    }

    @Test
    void aRefreshAfterBeyondTheDeadlineEndsAtOnce() {
        client = client(Duration.ofSeconds(5), Duration.ofSeconds(1));
        long start = System.nanoTime();
        AdapterException e = fails(new Answer(302, Map.of("Refresh-After", "30"), null, 0));
        assertEquals(AdapterException.Reason.TIMEOUT, e.reason());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000, "no sleep past the deadline");
    }

    @Test
    void theSpecsErrorModelIsPassedOn() {
        AdapterException failed = fails(Answer.json(500, "{\"error\":{\"message\":\"db download failed\"}}"));
        assertEquals(AdapterException.Reason.SCANNER_FAILED, failed.reason());
        assertTrue(failed.getMessage().contains("db download failed"), failed.getMessage());
    }

    @Test
    void eachStatusHasItsReason() throws Exception {
        Map<Integer, AdapterException.Reason> expected = Map.of(401, AdapterException.Reason.UNAUTHORIZED,
                403, AdapterException.Reason.FORBIDDEN, 404, AdapterException.Reason.NOT_FOUND,
                400, AdapterException.Reason.REJECTED, 422, AdapterException.Reason.REJECTED,
                501, AdapterException.Reason.UNSUPPORTED, 503, AdapterException.Reason.MALFORMED);
        for (Map.Entry<Integer, AdapterException.Reason> e : expected.entrySet()) {
            adapter.on("/api/v1/metadata", Answer.json(e.getKey(), "{\"error\":{\"message\":\"m-" + e.getKey() + "\"}}"));
            AdapterException x = assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null)));
            assertEquals(e.getValue(), x.reason(), "status " + e.getKey());
        }
        adapter.on("/api/v1/metadata", Answer.json(422, "{\"error\":{\"message\":\"artifact.digest is required\"}}"));
        AdapterException x = assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null)));
        assertTrue(x.getMessage().contains("artifact.digest is required"), x.getMessage());
    }

    @Test
    void malformedReportsAreRefusedWithWhatIsWrong() {
        assertEquals(AdapterException.Reason.MALFORMED, fails(Answer.json(200, "{\"vulnerabilities\": [")).reason());
        AdapterException noPackage = fails(Answer.json(200, "{\"vulnerabilities\":[{\"id\":\"CVE-1\",\"version\":\"1\"}]}"));
        assertEquals(AdapterException.Reason.MALFORMED, noPackage.reason());
        assertTrue(noPackage.getMessage().contains("vulnerabilities[0] has no package"), noPackage.getMessage());
        AdapterException badSeverity = fails(Answer.json(200,
                "{\"vulnerabilities\":[{\"id\":\"CVE-1\",\"package\":\"p\",\"version\":\"1\",\"severity\":\"Severe\"}]}"));
        assertTrue(badSeverity.getMessage().contains("Severe"), badSeverity.getMessage());
        assertEquals(AdapterException.Reason.MALFORMED, fails(Answer.json(200, "[1,2]")).reason());
        assertEquals(AdapterException.Reason.MALFORMED, fails(Answer.json(200,
                "{\"vulnerabilities\":\"none\"}")).reason());
    }

    @Test
    void metadataWithoutTheSpecsFieldsIsRefused() {
        adapter.on("/api/v1/metadata", Answer.json(200, "{\"status\":\"ok\"}"));
        AdapterException e = assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null)));
        assertEquals(AdapterException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("no scanner.name"), e.getMessage());
        adapter.on("/api/v1/metadata", Answer.json(200, "<html>hello</html>"));
        assertEquals(AdapterException.Reason.MALFORMED,
                assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null))).reason());
    }

    @Test
    void anAdapterWithoutAVulnerabilityReportIsUnsupported() {
        adapter.on("/api/v1/metadata", Answer.json(200, """
                {"scanner":{"name":"x"},"capabilities":[{"consumes_mime_types":["application/vnd.oci.image.manifest.v1+json"],
                 "produces_mime_types":["application/vnd.scanner.adapter.vuln.report.raw"]}]}"""));
        AdapterException e = assertThrows(AdapterException.class,
                () -> client.scan(endpoint(AuthKind.NONE, null), REGISTRY, ARTIFACT));
        assertEquals(AdapterException.Reason.UNSUPPORTED, e.reason());
        assertEquals(0, adapter.calls("/api/v1/scan"), "no scan was submitted");
    }

    @Test
    void aSlowAnswerIsATimeout() {
        client = client(Duration.ofMillis(300), Duration.ofSeconds(5));
        adapter.on("/api/v1/metadata", new Answer(200, Map.of(), METADATA, 2000));
        AdapterException e = assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null)));
        assertEquals(AdapterException.Reason.TIMEOUT, e.reason());
    }

    @Test
    void anOversizedAnswerIsRefused() {
        adapter.on("/api/v1/metadata", Answer.json(200, "{\"x\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}"));
        AdapterException e = assertThrows(AdapterException.class, () -> client.metadata(endpoint(AuthKind.NONE, null)));
        assertEquals(AdapterException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveIsDns() {
        ScannerEndpoint nowhere = new ScannerEndpoint("x", URI.create("http://adapter.invalid:8080"), AuthKind.NONE,
                null, false);
        AdapterException e = assertThrows(AdapterException.class, () -> client.metadata(nowhere));
        assertEquals(AdapterException.Reason.DNS, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("adapter.invalid"), e.getMessage());
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ScannerEndpoint closed = new ScannerEndpoint("x", URI.create("http://127.0.0.1:" + port), AuthKind.NONE, null, false);
        assertEquals(AdapterException.Reason.UNREACHABLE,
                assertThrows(AdapterException.class, () -> client.metadata(closed)).reason());
    }

    @Test
    void secretsAreNotInToString() {
        ScannerEndpoint e = endpoint(AuthKind.BEARER, "very-secret-token");
        assertTrue(!e.toString().contains("very-secret-token"), e.toString());
        assertTrue(!REGISTRY.toString().contains("pull-token"), REGISTRY.toString());
    }
}
