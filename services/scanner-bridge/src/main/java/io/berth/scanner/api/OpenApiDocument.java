package io.berth.scanner.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Marks scanner-bridge's OpenAPI document as scanner-bridge's (every operation tagged
 * {@value #TAG}), for the gateway's merged document; OpenApiDocumentTest keeps
 * docs/openapi/scanner-bridge.json equal to it, and the gateway's OpenApiOwnershipTest checks its
 * paths against the route table.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    static final String TAG = "scanner-bridge";

    @Override
    public Operation filterOperation(Operation operation) {
        return operation.tags(List.of(TAG));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.tags(List.of(OASFactory.createTag().name(TAG).description(
                "scanner-bridge: scans, vulnerability reports and SBOMs of artifacts"
                + " (/api/v1/projects/{project}/repositories/{repository}/artifacts/{reference}/scan,"
                + " .../vulnerabilities, .../sbom), a project's scan, scan-all, the artifacts a vulnerability"
                + " affects (/api/v1/vulnerabilities/{id}/artifacts) and the vulnerability database"
                + " (/api/v1/system/vulnerability-db)")));
    }
}
