package io.berth.scanner.pluggable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.adapter.AdapterClient;
import io.berth.scanner.adapter.AdapterException;
import io.berth.scanner.adapter.AdapterMetadata;
import io.berth.scanner.adapter.AdapterReport;
import io.berth.scanner.adapter.AdapterVulnerability;
import io.berth.scanner.adapter.ArtifactRef;
import io.berth.scanner.adapter.AuthKind;
import io.berth.scanner.adapter.RegistryAccess;
import io.berth.scanner.adapter.ScannerEndpoint;
import io.berth.scanner.adapter.SpecMediaTypes;
import io.berth.scanner.inventory.TestImageLayers;
import io.berth.scanner.support.TestAuth;
import io.berth.scanner.vulndb.OsvData;
import io.berth.scanner.vulndb.Severity;
import io.berth.scanner.vulndb.VulnerabilityDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Both ends real: berth's adapter client asks berth's own Pluggable Scanner API server over
 * HTTP to scan an image that the test pushed into a real distribution registry (htpasswd auth);
 * the server pulls it from there with the request's credentials, inventories it, matches it
 * against the shipped OSV data and answers the v1.1 report and the v1.2 SBOM report.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinScannerRoundTripTest {

    static final String KEY = "test-pluggable-api-key-0123456789";
    static final String REPOSITORY = "team/debian-app";

    @Inject
    AdapterClient client;

    @Inject
    VulnerabilityDb vulndb;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/scanner")
    URL scanner;

    DistributionRegistry registry;
    String digest;

    @BeforeAll
    void pushImage() throws Exception {
        vulndb.importStream(new ByteArrayInputStream(OsvData.zipOf(OsvData.ALL)), VulnerabilityDb.Kind.ZIP_PARTIAL,
                "test", "admin");
        registry = DistributionRegistry.start();
        byte[] tar = TestImageLayers.debian12Tar();
        byte[] layer = TestImageLayers.gzip(tar);
        String layerDigest = registry.pushBlob(REPOSITORY, layer);
        byte[] config = """
                {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]},"config":{}}"""
                .formatted(DistributionRegistry.sha256(tar)).getBytes(StandardCharsets.UTF_8);
        String configDigest = registry.pushBlob(REPOSITORY, config);
        byte[] manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(configDigest, config.length, layerDigest, layer.length).getBytes(StandardCharsets.UTF_8);
        digest = registry.pushManifest(REPOSITORY, "1.0", SpecMediaTypes.OCI_MANIFEST, manifest);
    }

    @AfterAll
    void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    ScannerEndpoint berth() {
        return new ScannerEndpoint("berth-self", URI.create(scanner.toString()), AuthKind.API_KEY, KEY, false);
    }

    ArtifactRef artifact() {
        return new ArtifactRef(REPOSITORY, digest, "1.0", SpecMediaTypes.OCI_MANIFEST);
    }

    @Test
    void metadataNamesTheScannerAndBothReportTypes() throws Exception {
        AdapterMetadata m = client.metadata(berth());
        assertEquals("berth", m.name());
        assertEquals("berth", m.vendor());
        assertNotNull(m.version());
        assertEquals(SpecMediaTypes.VULN_REPORT_1_1, m.vulnerabilityReportType().orElseThrow());
        assertEquals(SpecMediaTypes.CYCLONEDX, m.sbomMediaType().orElseThrow());
        assertEquals("os-package-vulnerability", m.properties().get("harbor.scanner-adapter/scanner-type"));
    }

    @Test
    void scansAnImagePulledFromARealRegistry() throws Exception {
        AdapterReport report = client.scan(berth(),
                new RegistryAccess(registry.url(), DistributionRegistry.basic(DistributionRegistry.USER,
                        DistributionRegistry.PASSWORD)), artifact());
        assertEquals("berth", report.scanner().name());
        assertEquals(SpecMediaTypes.VULN_REPORT_1_1, report.reportMediaType());
        List<AdapterVulnerability> zlib = report.vulnerabilities().stream()
                .filter(v -> v.id().equals(OsvData.DEBIAN_ZLIB)).toList();
        assertEquals(1, zlib.size(), "findings: " + report.vulnerabilities());
        AdapterVulnerability v = zlib.get(0);
        assertEquals("zlib1g", v.packageName());
        assertEquals("1:1.2.13.dfsg-1", v.installedVersion());
        assertEquals(Severity.CRITICAL, v.severity());
        assertEquals("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12", v.purl());
        assertTrue(v.links().stream().anyMatch(l -> l.contains("CVE-2023-45853")), v.links().toString());
        // Only the Debian advisory applies to a Debian image.
        assertEquals(1, report.vulnerabilities().size(), report.vulnerabilities().toString());

        assertEquals(SpecMediaTypes.CYCLONEDX, report.sbomMediaType());
        JsonNode sbom = json.readTree(report.sbom());
        assertEquals("CycloneDX", sbom.path("bomFormat").asText());
        assertEquals(digest, sbom.path("metadata").path("component").path("version").asText());
        assertTrue(report.sbom().contains("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1"), "the SBOM lists zlib1g");
    }

    @Test
    void wrongRegistryCredentialsFailTheScanWithTheRegistrysWord() {
        AdapterException e = assertThrows(AdapterException.class, () -> client.scan(berth(),
                new RegistryAccess(registry.url(), DistributionRegistry.basic(DistributionRegistry.USER, "wrong")),
                artifact()));
        assertEquals(AdapterException.Reason.SCANNER_FAILED, e.reason());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertTrue(!e.getMessage().contains("wrong"), "no credential in the message: " + e.getMessage());
    }

    @Test
    void anUnknownManifestFailsTheScan() {
        ArtifactRef missing = new ArtifactRef(REPOSITORY, "sha256:" + "0".repeat(64), null, SpecMediaTypes.OCI_MANIFEST);
        AdapterException e = assertThrows(AdapterException.class, () -> client.scan(berth(),
                new RegistryAccess(registry.url(), DistributionRegistry.basic(DistributionRegistry.USER,
                        DistributionRegistry.PASSWORD)), missing));
        assertEquals(AdapterException.Reason.SCANNER_FAILED, e.reason());
        assertTrue(e.getMessage().contains("has no manifest"), e.getMessage());
    }
}
