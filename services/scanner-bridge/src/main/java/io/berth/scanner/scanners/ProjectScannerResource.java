package io.berth.scanner.scanners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiException;
import io.berth.scanner.security.ScanCaller;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A project's scanner, for its projectAdmins and system administrators ({@link ScanCaller#requireScannerChoice}):
 * {@code GET} says which scanner scans the project and whether it is the system default
 * ({@code "inherited": true}); {@code PUT {"scanner": "<name>"}} chooses one (an enabled scanner;
 * 400 otherwise), {@code PUT {"scanner": null}} goes back to the system default.
 */
@Path("/api/v1/projects/{project}/scanner")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ProjectScannerResource {

    private final ScannerRepository repository;
    private final ScannerRegistry registry;
    private final ObjectMapper json;

    public ProjectScannerResource(ScannerRepository repository, ScannerRegistry registry, ObjectMapper json) {
        this.repository = repository;
        this.registry = registry;
        this.json = json;
    }

    @GET
    public Map<String, Object> get(@PathParam("project") String project, @Context ContainerRequestContext request) {
        ScanCaller.of(request).requireScannerChoice(project);
        return view(project, projectId(project));
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> put(@PathParam("project") String project, String body,
            @Context ContainerRequestContext request) {
        ScanCaller.of(request).requireScannerChoice(project);
        long id = projectId(project);
        JsonNode node = ScannerRequests.object(json, body, Set.of("scanner"));
        if (!node.has("scanner")) {
            throw ApiException.badRequest("scanner is required: a scanner's name, or null for the system default");
        }
        JsonNode name = node.path("scanner");
        if (name.isNull()) {
            repository.choose(id, null);
        } else {
            if (!name.isTextual()) {
                throw ApiException.badRequest("scanner must be a scanner's name, or null for the system default");
            }
            ScannerRow row = registry.find(name.asText()).orElseThrow(() ->
                    ApiException.badRequest("no scanner " + name.asText() + "; GET /api/v1/scanners lists them"));
            if (row.disabled()) {
                throw ApiException.badRequest("scanner " + row.name() + " is disabled");
            }
            repository.choose(id, row.id());
        }
        return view(project, id);
    }

    private Map<String, Object> view(String project, long id) {
        Optional<ScannerRow> chosen = repository.projectChoice(id).filter(s -> !s.disabled());
        Optional<ScannerRow> applies = chosen.or(repository::defaultScanner);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", project);
        out.put("scanner", applies.map(ScannerRequests::view).orElse(null));
        out.put("inherited", chosen.isEmpty());
        return out;
    }

    private long projectId(String project) {
        return repository.projectId(project).orElseThrow(() -> ApiException.notFound("no project " + project));
    }
}
