package io.berth.scanner.api;

import io.berth.errors.ApiException;
import io.berth.scanner.metadata.AffectedArtifacts;
import io.berth.scanner.security.ScanCaller;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET /api/v1/vulnerabilities/{id}/artifacts}: the artifacts whose report has the
 * vulnerability {@code id} (an advisory id or an alias: {@code CVE-2023-45853} finds the Debian
 * advisory that names it), in the projects the caller may pull from (all for system
 * administrators). Paged like the other listings ({@code page}, {@code page_size}, total in
 * {@code X-Total-Count}), by project, repository and digest.
 */
@Path("/api/v1/vulnerabilities")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AffectedArtifactsResource {

    /** OSV ids: CVE-2023-45853, GHSA-57j2-w4cx-62h2, DEBIAN-CVE-2023-45853, PYSEC-2021-1, GO-2022-0001. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");

    private final AffectedArtifacts affected;

    public AffectedArtifactsResource(AffectedArtifacts affected) {
        this.affected = affected;
    }

    @GET
    @Path("{id}/artifacts")
    @Operation(summary = "The artifacts affected by a vulnerability", description = "Artifacts whose report names"
            + " the id or alias, in the projects the caller may pull from: project, repository, digest, tags, the"
            + " highest severity, the packages; ?scanner= for another scanner's reports.")
    @APIResponse(responseCode = "200", description = "a page of artifacts; the total in X-Total-Count")
    @APIResponse(responseCode = "400", description = "a malformed id or page")
    public Response artifacts(@PathParam("id") String id, @QueryParam("scanner") String scanner,
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize,
            @Context ContainerRequestContext request) {
        ScanCaller caller = ScanCaller.of(request);
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("'" + id + "' is not a vulnerability id (CVE-2023-45853, GHSA-...)");
        }
        if (scanner != null && (scanner.isBlank() || scanner.length() > 200)) {
            throw ApiException.badRequest("scanner names a registered scanner");
        }
        int[] p = ScanPaths.page(page, pageSize);
        AffectedArtifacts.Page rows = affected.find(id, caller.admin() ? null
                : java.util.Objects.requireNonNull(caller.readableProjects(), "readable projects"), scanner,
                (long) (p[0] - 1) * p[1], p[1]);
        return Response.ok(rows.items()).header(ScanPaths.TOTAL_HEADER, rows.total()).build();
    }
}
