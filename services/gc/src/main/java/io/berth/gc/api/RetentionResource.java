package io.berth.gc.api;

import io.berth.cron.CronSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.gc.metadata.RetentionExecution;
import io.berth.gc.metadata.RetentionRepository;
import io.berth.gc.metadata.RetentionPolicyRepository;
import io.berth.gc.metadata.RetentionPolicyRepository.Policy;
import io.berth.gc.metadata.RetentionPolicyRepository.Project;
import io.berth.gc.retention.RetentionPolicy;
import io.berth.gc.security.AdminFilter;
import io.berth.gc.service.RetentionService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A project's retention policy (docs/retention.md, ADR 0029), for system administrators and the
 * project's projectAdmins ({@link AdminFilter}): read, set or remove the policy with its cron
 * schedule, start an execution (202 with its id, or a dry run), read the history and what one
 * execution retained and deleted, per repository, with the reason. Errors are in the
 * {@code /api/v1} shape; a policy's mistakes are 400s that name the rule and field.
 */
@Path("/api/v1/projects/{project}/retention")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RetentionResource {

    private final RetentionPolicyRepository policies;
    private final RetentionRepository repository;
    private final RetentionService service;
    private final ObjectMapper json;

    public RetentionResource(RetentionPolicyRepository policies, RetentionRepository repository,
            RetentionService service, ObjectMapper json) {
        this.policies = policies;
        this.repository = repository;
        this.service = service;
        this.json = json;
    }

    @GET
    public Map<String, Object> get(@PathParam("project") String project) {
        Project p = project(project);
        return view(policies.policy(p.id()).orElseThrow(() -> noPolicy(p)));
    }

    /**
     * Sets the policy: {@code {"rules": [...], "cron": "0 3 * * *"}}; a null, empty or absent
     * {@code cron} means no schedule (manual executions only).
     */
    @PUT
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> put(@PathParam("project") String project, String body,
            @Context ContainerRequestContext request) {
        Project p = project(project);
        JsonNode node = GcRequests.object(json, body, Set.of("rules", "cron"));
        String cron = GcRequests.text(node, "cron");
        if (cron != null) {
            try {
                cron = CronSchedule.parse(cron).expression();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("cron: " + e.getMessage());
            }
        }
        ObjectNode rules = json.createObjectNode();
        if (node.has("rules")) {
            rules.set("rules", node.get("rules"));
        }
        RetentionPolicy policy;
        try {
            policy = RetentionPolicy.fromJson(rules.toString());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String normalized;
        try {
            normalized = json.writeValueAsString(policy);
        } catch (Exception e) {
            throw new IllegalStateException("a retention policy could not be written as JSON", e);
        }
        return view(policies.put(p.id(), normalized, cron, caller(request)));
    }

    @DELETE
    public Response delete(@PathParam("project") String project) {
        Project p = project(project);
        if (!policies.delete(p.id())) {
            throw noPolicy(p);
        }
        return Response.noContent().build();
    }

    /** Starts an execution: {@code {"dryRun": true}} to only see what it would delete. */
    @POST
    @Path("executions")
    @Consumes(MediaType.WILDCARD)
    public Response execute(@PathParam("project") String project, String body,
            @Context ContainerRequestContext request) {
        Project p = project(project);
        boolean dryRun = GcRequests.bool(GcRequests.object(json, body, Set.of("dryRun")), "dryRun", false);
        RetentionExecution e;
        try {
            e = service.start(p, "manual", dryRun, caller(request));
        } catch (RetentionService.NoPolicy x) {
            throw ApiException.notFound(x.getMessage());
        } catch (RetentionService.AlreadyRunning x) {
            throw new ApiException(ApiErrorCode.CONFLICT, x.getMessage());
        }
        return Response.accepted(Map.of("id", e.id()))
                .header("Location", "/api/v1/projects/" + p.name() + "/retention/executions/" + e.id()).build();
    }

    /** The history, newest first ({@code page} from 1, {@code page_size} up to 100); the total in {@code X-Total-Count}. */
    @GET
    @Path("executions")
    public Response history(@PathParam("project") String project, @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_size") @DefaultValue("25") int pageSize) {
        Project p = project(project);
        if (page < 1 || pageSize < 1 || pageSize > GcResource.MAX_PAGE_SIZE) {
            throw ApiException.badRequest("page counts from 1; page_size is 1 to " + GcResource.MAX_PAGE_SIZE);
        }
        RetentionExecution.Page result = repository.page(p.id(), page, pageSize);
        return Response.ok(result.executions().stream().map(RetentionResource::view).toList())
                .header("X-Total-Count", result.total()).build();
    }

    /**
     * One execution with, per repository in scope (or only {@code repository}, a path within the
     * project), the artifacts it retained and deleted (would delete, in a dry run), each with its
     * digest, tags and reason.
     */
    @GET
    @Path("executions/{id: [0-9]+}")
    public Map<String, Object> execution(@PathParam("project") String project, @PathParam("id") long id,
            @QueryParam("repository") String only) {
        Project p = project(project);
        RetentionExecution e = repository.find(id).filter(x -> x.projectId() == p.id())
                .orElseThrow(() -> ApiException.notFound("no retention execution " + id + " in project " + p.name()));
        Map<String, Object> v = view(e);
        Map<String, Map<String, Object>> byRepository = new LinkedHashMap<>();
        for (RetentionExecution.Item i : repository.items(id, only == null || only.isBlank() ? null : only)) {
            Map<String, Object> r = byRepository.computeIfAbsent(i.repository(), name -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("repository", name);
                m.put("retained", new ArrayList<>());
                m.put("deleted", new ArrayList<>());
                return m;
            });
            Map<String, Object> artifact = new LinkedHashMap<>();
            artifact.put("digest", i.digest());
            artifact.put("tags", i.tags());
            artifact.put("reason", i.reason());
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) r.get(i.retained() ? "retained" : "deleted");
            list.add(artifact);
        }
        v.put("repositories", new ArrayList<>(byRepository.values()));
        return v;
    }

    private Project project(String name) {
        return policies.project(name).orElseThrow(() -> ApiException.notFound("project " + name + " not found"));
    }

    private static ApiException noPolicy(Project p) {
        return ApiException.notFound("project " + p.name() + " has no retention policy");
    }

    private static String caller(ContainerRequestContext request) {
        Object name = request.getProperty(AdminFilter.CALLER);
        return name == null ? null : name.toString();
    }

    private Map<String, Object> view(Policy p) {
        Map<String, Object> v = new LinkedHashMap<>();
        try {
            v.put("rules", json.readTree(p.policy()).get("rules"));
        } catch (Exception e) {
            throw new IllegalStateException("the stored retention policy of " + p.project() + " is not JSON", e);
        }
        v.put("cron", p.cron());
        Instant next = null;
        if (p.cron() != null) {
            Instant now = Instant.now();
            Instant from = p.lastFiredAt() != null && p.lastFiredAt().isAfter(now) ? p.lastFiredAt() : now;
            next = CronSchedule.parse(p.cron()).next(from).orElse(null);
        }
        v.put("nextRunAt", text(next));
        v.put("updatedAt", text(p.updatedAt()));
        v.put("updatedBy", p.updatedBy());
        return v;
    }

    static Map<String, Object> view(RetentionExecution e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("trigger", e.trigger());
        v.put("status", e.status());
        v.put("dryRun", e.dryRun());
        v.put("requestedBy", e.requestedBy());
        v.put("startedAt", text(e.startedAt()));
        v.put("endedAt", text(e.endedAt()));
        v.put("retained", e.retained());
        v.put("deleted", e.deleted());
        v.put("untouched", e.untouched());
        v.put("error", e.error());
        return v;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
