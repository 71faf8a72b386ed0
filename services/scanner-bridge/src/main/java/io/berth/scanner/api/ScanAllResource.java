package io.berth.scanner.api;

import io.berth.scanner.config.ScanApiConfig;
import io.berth.scanner.metadata.ScanRequests;
import io.berth.scanner.security.AdminFilter;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code POST /api/v1/system/scan-all}, for system administrators ({@link AdminFilter}): a scan of
 * every image and index of every project by its project's scanner, in one statement; artifacts
 * with a queued or running scan keep it.
 */
@Path("/api/v1/system/scan-all")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScanAllResource {

    private final ScanRequests requests;
    private final ScanApiConfig config;

    public ScanAllResource(ScanRequests requests, ScanApiConfig config) {
        this.requests = requests;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Scan every image", description = "Queues a scan of every image and index of every"
            + " project (system administrators).")
    @APIResponse(responseCode = "202", description = "{\"artifacts\", \"queued\", \"alreadyOpen\", \"skipped\"}")
    public Response scanAll(@Context ContainerRequestContext request) {
        String caller = (String) request.getProperty(AdminFilter.CALLER);
        return Response.accepted(ScanResource.bulk(requests.enqueueAll(config.bulkPriority(), caller))).build();
    }
}
