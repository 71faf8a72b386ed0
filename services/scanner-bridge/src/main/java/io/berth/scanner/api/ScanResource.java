package io.berth.scanner.api;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.scanner.config.ScanApiConfig;
import io.berth.scanner.metadata.ScanReports;
import io.berth.scanner.metadata.ScanRequests;
import io.berth.scanner.metadata.ScanTargets;
import io.berth.scanner.metadata.ScanTargets.Scanner;
import io.berth.scanner.metadata.Scannable;
import io.berth.scanner.security.ScanCaller;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The scan API beside the browsing API's artifact paths (issue #22, docs/scanning-api.md), under
 * {@code /api/v1/projects/{project}/repositories/{repository}/artifacts/{reference}}:
 *
 * <ul>
 *   <li>{@code POST .../scan}: queues a manual scan (developer and above): 202 {@code {"id"}}; a
 *       request while the artifact's job is queued or running joins that job;
 *   <li>{@code GET .../vulnerabilities}: the report ({@code ?severity=}, {@code ?q=},
 *       {@code ?scanner=}); 404 naming the job's state while there is none;
 *   <li>{@code GET .../sbom}: the CycloneDX SBOM, {@code application/vnd.cyclonedx+json};
 * </ul>
 * and {@code POST /api/v1/projects/{project}/scan} (projectAdmin): every image of the project.
 * Who may do what is {@link ScanCaller}'s, decided before anything is looked up. {@code {reference}}
 * is a digest or a tag; {@code {repository}} the path inside the project, slashes and all (the
 * regex paths sit on the methods, as in registry-api's BrowseResource).
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScanResource {

    static final String CYCLONEDX = "application/vnd.cyclonedx+json";

    private final ScanTargets targets;
    private final ScanRequests requests;
    private final ScanReports reports;
    private final ScanApiConfig config;

    public ScanResource(ScanTargets targets, ScanRequests requests, ScanReports reports, ScanApiConfig config) {
        this.targets = targets;
        this.requests = requests;
        this.reports = reports;
        this.config = config;
    }

    @POST
    @Path(ScanPaths.ARTIFACT + "/scan")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Scan an artifact", description = "Queues a manual scan by the project's scanner (developer"
            + " and above). A request while a scan of the artifact is queued or running joins it.")
    @APIResponse(responseCode = "202", description = "{\"id\": the job, \"status\": queued or running}")
    @APIResponse(responseCode = "400", description = "a malformed repository or reference, or not an image")
    @APIResponse(responseCode = "404", description = "no such project, repository or artifact")
    @APIResponse(responseCode = "409", description = "the project's scanner is disabled, or none applies")
    public Response scan(@PathParam("project") String project, @PathParam("repository") String repository,
            @PathParam("reference") String reference, @Context ContainerRequestContext request) {
        ScanCaller caller = ScanCaller.of(request);
        caller.requireScan(project);
        ScanPaths.Found found = ScanPaths.find(targets, project, repository, reference);
        if (!Scannable.test(found.artifact().mediaType(), found.artifact().artifactType())) {
            throw ApiException.badRequest(found.name() + " is not an image or an index ("
                    + (found.artifact().artifactType() != null ? found.artifact().artifactType()
                            : found.artifact().mediaType()) + "); only images are scanned");
        }
        Scanner scanner = found.target().scanner();
        if (scanner == null) {
            throw new ApiException(ApiErrorCode.CONFLICT, "no scanner applies to project " + project
                    + ": there is no default scanner");
        }
        if (scanner.disabled()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "the scanner of project " + project + ", "
                    + scanner.name() + ", is disabled");
        }
        ScanRequests.Job job = requests.enqueue(found.artifact().id(), scanner.id(), config.manualPriority(),
                caller.name());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", job.id());
        body.put("status", job.status());
        body.put("scanner", scanner.name());
        body.put("digest", found.artifact().digest());
        return Response.accepted(body).header("Location", "/api/v1/projects/" + project + "/repositories/"
                + repository + "/artifacts/" + found.artifact().digest() + "/vulnerabilities").build();
    }

    @GET
    @Path(ScanPaths.ARTIFACT + "/vulnerabilities")
    @Operation(summary = "The vulnerability report of an artifact", description = "The report of the project's"
            + " scanner (or ?scanner=): scanner, status, generatedAt, database, summary and the vulnerabilities,"
            + " highest severity first; ?severity= keeps those at or above it, ?q= those whose id, alias or"
            + " package contains it.")
    @APIResponse(responseCode = "200", description = "the report")
    @APIResponse(responseCode = "400", description = "a malformed parameter, or an unknown scanner")
    @APIResponse(responseCode = "404", description = "no such artifact, or no report yet (the message says why)")
    public Map<String, Object> vulnerabilities(@PathParam("project") String project,
            @PathParam("repository") String repository, @PathParam("reference") String reference,
            @QueryParam("severity") String severity, @QueryParam("q") String q,
            @QueryParam("scanner") String scannerName, @Context ContainerRequestContext request) {
        ScanCaller.of(request).requireRead(project);
        ReportFilter filter = ReportFilter.of(severity, q);
        ScanPaths.Found found = ScanPaths.find(targets, project, repository, reference);
        Scanner scanner = ScanPaths.scanner(targets, found, scannerName);
        ScanReports.Report report = reports.report(found.artifact().id(), scanner.id())
                .orElseThrow(() -> notYet(found, scanner, "has no report"));
        return ReportFilter.view(found, scanner, report, filter);
    }

    @GET
    @Path(ScanPaths.ARTIFACT + "/sbom")
    @Produces({CYCLONEDX, MediaType.APPLICATION_JSON})
    @Operation(summary = "The SBOM of an artifact", description = "The CycloneDX JSON SBOM the project's scanner"
            + " (or ?scanner=) made of it.")
    @APIResponse(responseCode = "200", description = "the SBOM, application/vnd.cyclonedx+json")
    @APIResponse(responseCode = "404", description = "no such artifact, or no SBOM (the message says why)")
    public Response sbom(@PathParam("project") String project, @PathParam("repository") String repository,
            @PathParam("reference") String reference, @QueryParam("scanner") String scannerName,
            @Context ContainerRequestContext request) {
        ScanCaller.of(request).requireRead(project);
        ScanPaths.Found found = ScanPaths.find(targets, project, repository, reference);
        Scanner scanner = ScanPaths.scanner(targets, found, scannerName);
        String sbom = reports.sbom(found.artifact().id(), scanner.id())
                .orElseThrow(() -> notYet(found, scanner, "has no SBOM"));
        return Response.ok(sbom, CYCLONEDX).build();
    }

    @POST
    @Path("{project}/scan")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Scan every image of a project", description = "Queues a scan of each image and index of"
            + " the project by its scanner (projectAdmin); those with a queued or running scan keep it.")
    @APIResponse(responseCode = "202", description = "{\"artifacts\", \"queued\", \"alreadyOpen\", \"skipped\"}")
    @APIResponse(responseCode = "404", description = "no such project")
    public Response scanProject(@PathParam("project") String project, @Context ContainerRequestContext request) {
        ScanCaller caller = ScanCaller.of(request);
        caller.requireManage(project);
        long id = targets.projectId(project).orElseThrow(() -> ApiException.notFound("project " + project
                + " not found"));
        return Response.accepted(bulk(requests.enqueueProject(id, config.bulkPriority(), caller.name()))).build();
    }

    static Map<String, Object> bulk(ScanRequests.Bulk b) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("artifacts", b.artifacts());
        body.put("queued", b.queued());
        body.put("alreadyOpen", b.alreadyOpen());
        body.put("skipped", b.skipped());
        return body;
    }

    /** 404 for an artifact without a report or SBOM, saying where its scan stands. */
    private ApiException notYet(ScanPaths.Found found, Scanner scanner, String what) {
        String why = reports.state(found.artifact().id(), scanner.id()).map(job -> switch (job.status()) {
            case "queued" -> "a scan is queued (job " + job.id() + ")";
            case "running" -> "a scan is running (job " + job.id() + ")";
            default -> "the last scan failed: " + job.error();
        }).orElse("it has not been scanned yet; POST .../scan to scan it");
        return ApiException.notFound(found.name() + " " + what + " by scanner " + scanner.name() + ": " + why);
    }
}
