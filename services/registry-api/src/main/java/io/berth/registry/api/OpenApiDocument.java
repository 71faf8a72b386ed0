package io.berth.registry.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Marks registry-api's OpenAPI document as registry-api's: every operation carries the tag
 * {@value #TAG}, so the document the gateway merges from every service's (GET /api/v1/openapi
 * there) says which service serves each path. The paths themselves must be the ones the
 * gateway's route table sends to registry-api; the gateway's OpenApiOwnershipTest checks both
 * against docs/openapi/registry-api.json, which OpenApiDocumentTest keeps equal to this
 * service's document.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    static final String TAG = "registry-api";

    @Override
    public Operation filterOperation(Operation operation) {
        return operation.tags(List.of(TAG));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.tags(List.of(OASFactory.createTag().name(TAG).description(
                "registry-api: the OCI Distribution API (/v2) and the browsing API of a project's"
                        + " repositories and artifacts (/api/v1/projects/{project}/repositories)")));
    }
}
