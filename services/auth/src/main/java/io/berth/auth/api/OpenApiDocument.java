package io.berth.auth.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Marks auth's OpenAPI document as auth's: every operation carries the tag {@value #TAG}, so
 * the document the gateway merges from every service's (GET /api/v1/openapi there) says which
 * service serves each path. The paths themselves must be the ones the gateway's route table
 * sends to auth; the gateway's OpenApiOwnershipTest checks both against
 * docs/openapi/auth.json, which OpenApiDocumentTest keeps equal to this service's document.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {

    static final String TAG = "auth";

    @Override
    public Operation filterOperation(Operation operation) {
        return operation.tags(List.of(TAG));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.tags(List.of(OASFactory.createTag().name(TAG).description(
                "auth: the Docker token service, JWKS, projects, members, robots, users' CLI secrets,"
                        + " signing keys, system settings and the audit log")));
    }
}
