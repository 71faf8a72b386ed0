package io.berth.scanner.pluggable;

import io.berth.scanner.adapter.SpecMediaTypes;
import io.berth.scanner.vulndb.ImportRun;
import io.berth.scanner.vulndb.VulnerabilityDb;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The built-in scanner's metadata as the spec's {@code ScannerAdapterMetadata}. */
@ApplicationScoped
public class BuiltinMetadata {

    public static final String NAME = "berth";
    private static final List<String> IMAGES = List.of(SpecMediaTypes.OCI_MANIFEST, SpecMediaTypes.DOCKER_MANIFEST);

    private final String version;
    private final VulnerabilityDb vulndb;

    public BuiltinMetadata(@ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
            VulnerabilityDb vulndb) {
        this.version = version;
        this.vulndb = vulndb;
    }

    public String version() {
        return version;
    }

    /** The metadata document: scanner, capabilities (vulnerability v1.1 and the Harbor v1.0 name; SBOM v1.2), properties. */
    public Map<String, Object> document() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scanner", scanner());
        Map<String, Object> vulnerability = new LinkedHashMap<>();
        vulnerability.put("type", "vulnerability");
        vulnerability.put("consumes_mime_types", IMAGES);
        vulnerability.put("produces_mime_types", List.of(SpecMediaTypes.VULN_REPORT_1_1,
                SpecMediaTypes.VULN_REPORT_HARBOR_1_0));
        Map<String, Object> sbom = new LinkedHashMap<>();
        sbom.put("type", "sbom");
        sbom.put("consumes_mime_types", IMAGES);
        sbom.put("produces_mime_types", List.of(SpecMediaTypes.SBOM_REPORT_1_0));
        sbom.put("additional_attributes", Map.of("sbom_media_types", List.of(SpecMediaTypes.CYCLONEDX)));
        out.put("capabilities", List.of(vulnerability, sbom));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("harbor.scanner-adapter/scanner-type", "os-package-vulnerability");
        properties.put("harbor.scanner-adapter/vulnerability-database-source", "OSV (imported)");
        List<ImportRun> last = vulndb.lastImports();
        if (last.size() > 1 && last.get(1).finishedAt() != null) {
            properties.put("harbor.scanner-adapter/vulnerability-database-updated-at", last.get(1).finishedAt().toString());
        }
        properties.put("berth.io/vulnerability-database-advisories", Long.toString(vulndb.advisories()));
        properties.put("berth.io/package-types", "deb, apk, rpm (sqlite), maven, npm, pypi, golang");
        out.put("properties", properties);
        return out;
    }

    Map<String, Object> scanner() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", NAME);
        s.put("vendor", "berth");
        s.put("version", version);
        return s;
    }
}
