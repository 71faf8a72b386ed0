package io.berth.gc.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Marks gc's OpenAPI document as gc's (every operation tagged {@value #TAG}), for the gateway's
 * merged document; OpenApiDocumentTest keeps docs/openapi/gc.json equal to it, and the gateway's
 * OpenApiOwnershipTest checks its paths against the route table.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    static final String TAG = "gc";

    @Override
    public Operation filterOperation(Operation operation) {
        return operation.tags(List.of(TAG));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.tags(List.of(OASFactory.createTag().name(TAG).description(
                "gc: garbage collection runs, their history and logs, and their schedule (/api/v1/system/gc);"
                + " a project's retention policy, its executions and their history"
                + " (/api/v1/projects/{project}/retention)")));
    }
}
