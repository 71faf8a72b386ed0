package io.berth.scanner.adapter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an adapter says of itself at {@code GET /api/v1/metadata}.
 *
 * @param name the scanner's name (Trivy, berth)
 * @param vendor its provider
 * @param version its version
 * @param capabilities what it consumes and produces
 * @param properties its free-form properties ({@code harbor.scanner-adapter/...})
 */
public record AdapterMetadata(String name, String vendor, String version, List<Capability> capabilities,
        Map<String, String> properties) {

    public AdapterMetadata {
        capabilities = List.copyOf(capabilities);
        properties = Map.copyOf(properties);
    }

    /**
     * One capability.
     *
     * @param type {@code vulnerability} or {@code sbom} (a missing type is {@code vulnerability}, as the spec says)
     * @param consumes the artifact media types it scans
     * @param produces the report media types it writes
     * @param sbomMediaTypes for an SBOM capability, the SBOM formats it writes ({@code additional_attributes.sbom_media_types})
     */
    public record Capability(String type, List<String> consumes, List<String> produces, List<String> sbomMediaTypes) {
        public Capability {
            consumes = List.copyOf(consumes);
            produces = List.copyOf(produces);
            sbomMediaTypes = List.copyOf(sbomMediaTypes);
        }

        boolean consumesImages() {
            return consumes.stream().anyMatch(m -> SpecMediaTypes.same(m, SpecMediaTypes.OCI_MANIFEST)
                    || SpecMediaTypes.same(m, SpecMediaTypes.DOCKER_MANIFEST));
        }

        boolean produces(String mediaType) {
            return produces.stream().anyMatch(m -> SpecMediaTypes.same(m, mediaType));
        }
    }

    /**
     * The vulnerability report type berth asks this adapter for: v1.1's if it produces it, else
     * v1.0's Harbor type (the same schema); empty if it produces neither for image manifests.
     */
    public Optional<String> vulnerabilityReportType() {
        for (String type : List.of(SpecMediaTypes.VULN_REPORT_1_1, SpecMediaTypes.VULN_REPORT_HARBOR_1_0)) {
            if (capabilities.stream().anyMatch(c -> c.consumesImages() && c.produces(type))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * The SBOM format berth asks this adapter for, when it produces the v1.2 SBOM report:
     * CycloneDX if offered (berth's own format), else SPDX; empty if it produces no SBOM.
     */
    public Optional<String> sbomMediaType() {
        Optional<Capability> sbom = capabilities.stream()
                .filter(c -> c.consumesImages() && c.produces(SpecMediaTypes.SBOM_REPORT_1_0)).findFirst();
        if (sbom.isEmpty()) {
            return Optional.empty();
        }
        List<String> formats = sbom.get().sbomMediaTypes();
        if (formats.isEmpty() || formats.stream().anyMatch(f -> SpecMediaTypes.same(f, SpecMediaTypes.CYCLONEDX))) {
            return Optional.of(SpecMediaTypes.CYCLONEDX);
        }
        return formats.stream().filter(f -> SpecMediaTypes.same(f, SpecMediaTypes.SPDX)).findFirst()
                .map(f -> SpecMediaTypes.SPDX);
    }
}
