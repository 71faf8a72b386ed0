package io.berth.replicator.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Marks the replicator's OpenAPI document as its own (every operation tagged {@value #TAG}), for
 * the gateway's merged document; OpenApiDocumentTest keeps docs/openapi/replicator.json equal to
 * it, and the gateway's OpenApiOwnershipTest checks its paths against the route table.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    static final String TAG = "replicator";

    @Override
    public Operation filterOperation(Operation operation) {
        return operation.tags(List.of(TAG));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.tags(List.of(OASFactory.createTag().name(TAG).description(
                "replicator: remote registries (endpoints), policies and executions"
                + " (/api/v1/replication/...); system administrators, and projectAdmins read their"
                + " project's executions")));
    }
}
