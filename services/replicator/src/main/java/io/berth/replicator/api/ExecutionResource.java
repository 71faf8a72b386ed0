package io.berth.replicator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.replicator.execution.ExecutionControl;
import io.berth.replicator.execution.ExecutionQueries;
import io.berth.replicator.execution.ExecutionQueries.Execution;
import io.berth.replicator.execution.ExecutionQueries.Task;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRepository;
import io.berth.replicator.security.AdminFilter;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replication executions and their tasks, in the shapes of Harbor's executions API (snake_case);
 * docs/replication.md:
 * <ul>
 *   <li>{@code GET /api/v1/replication/executions?policy_id=&status=&trigger=&project=&page=&page_size=}:
 *       newest first, the total in {@code X-Total-Count}, the pages before and after in {@code Link}.
 *   <li>{@code POST} {@code {"policy_id": N}}: starts a manual run; 201 with its Location; an
 *       unknown policy is 400, a disabled one 409.
 *   <li>{@code GET /{id}}; {@code PUT /{id}} {@code {"status":"stopped"}} or {@code POST /{id}/stop}:
 *       stops it (409 if it has ended); {@code POST /{id}/retry}: queues its failed tasks again
 *       (409 if there are none).
 *   <li>{@code GET /{id}/tasks?status=&page=&page_size=} and {@code GET /{id}/tasks/{taskId}/log}
 *       (text/plain).
 * </ul>
 * Reads are narrowed to a project when {@link AdminFilter#project} names one (a projectAdmin's
 * view); everything else is for system administrators, which the filter has checked.
 */
@Path("/api/v1/replication/executions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ExecutionResource {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> STATUSES = Set.of("pending", "running", "succeeded", "failed", "stopped");
    private static final Set<String> TRIGGERS = Set.of("manual", "scheduled", "event_based");

    private final ExecutionQueries queries;
    private final ExecutionControl control;
    private final PolicyRepository policies;
    private final ObjectMapper json;

    public ExecutionResource(ExecutionQueries queries, ExecutionControl control, PolicyRepository policies,
            ObjectMapper json) {
        this.queries = queries;
        this.control = control;
        this.policies = policies;
        this.json = json;
    }

    @GET
    public Response list(@QueryParam("policy_id") String policyId, @QueryParam("status") String status,
            @QueryParam("trigger") String trigger, @QueryParam("page") String page,
            @QueryParam("page_size") String pageSize, @Context ContainerRequestContext request,
            @Context UriInfo uri) {
        Long policy = policyId == null || policyId.isEmpty() ? null : number("policy_id", policyId, Long.MAX_VALUE);
        int p = page(page);
        int size = pageSize(pageSize);
        var filter = new ExecutionQueries.Filter(policy, oneOf("status", status, STATUSES),
                oneOf("trigger", trigger, TRIGGERS), AdminFilter.project(request));
        var result = queries.list(filter, p, size);
        return paged(result.items().stream().map(ExecutionResource::view).toList(), result.total(), p, size, uri);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(String body, @Context ContainerRequestContext request) {
        JsonNode id = object(body).path("policy_id");
        if (!id.canConvertToLong() || !id.isIntegralNumber()) {
            throw ApiException.badRequest("policy_id names the policy to run, by its numeric id");
        }
        Policy policy = policies.find(id.asLong()).orElseThrow(() -> ApiException.badRequest(
                "policy_id " + id.asLong() + " names no replication policy"));
        if (!policy.enabled()) {
            throw new ApiException(ApiErrorCode.CONFLICT, "replication policy " + policy.name()
                    + " is disabled; enable it to run it");
        }
        long execution = control.start(policy, Policy.TriggerType.MANUAL, AdminFilter.caller(request));
        return Response.status(Response.Status.CREATED).entity(view(execution(execution, null)))
                .header("Location", "/api/v1/replication/executions/" + execution).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id, @Context ContainerRequestContext request) {
        return view(execution(id(id), AdminFilter.project(request)));
    }

    /** Harbor's stop: {@code {"status":"stopped"}}, the one change an execution takes. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@PathParam("id") String id, String body) {
        JsonNode status = object(body).path("status");
        if (!"stopped".equals(status.asText(null)) || !status.isTextual()) {
            throw ApiException.badRequest("status can only be set to \"stopped\" (which stops the execution)");
        }
        return stop(id);
    }

    @POST
    @Path("{id}/stop")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> stop(@PathParam("id") String id) {
        Execution e = execution(id(id), null);
        if (!control.stop(e.id())) {
            throw new ApiException(ApiErrorCode.CONFLICT, "execution " + e.id() + " has already ended ("
                    + execution(e.id(), null).status() + ")");
        }
        return view(execution(e.id(), null));
    }

    /** 200 with {@code retried}, how many failed or stopped tasks were queued again. */
    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> retry(@PathParam("id") String id) {
        Execution e = execution(id(id), null);
        int retried = control.retry(e.id());
        if (retried == 0) {
            throw new ApiException(ApiErrorCode.CONFLICT, "execution " + e.id()
                    + " has no failed or stopped task to retry (status " + e.status() + ")");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("retried", retried);
        return out;
    }

    @GET
    @Path("{id}/tasks")
    public Response tasks(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize,
            @Context ContainerRequestContext request, @Context UriInfo uri) {
        String project = AdminFilter.project(request);
        Execution e = execution(id(id), project);
        int p = page(page);
        int size = pageSize(pageSize);
        var result = queries.tasks(e.id(), project, oneOf("status", status, STATUSES), p, size);
        return paged(result.items().stream().map(ExecutionResource::view).toList(), result.total(), p, size, uri);
    }

    @GET
    @Path("{id}/tasks/{taskId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public String log(@PathParam("id") String id, @PathParam("taskId") String taskId,
            @Context ContainerRequestContext request) {
        String project = AdminFilter.project(request);
        Execution e = execution(id(id), project);
        long task = taskId.chars().allMatch(Character::isDigit) && taskId.length() < 19 ? Long.parseLong(taskId) : -1;
        return queries.log(e.id(), task, project).orElseThrow(() -> ApiException.notFound(
                "execution " + e.id() + " has no task " + taskId));
    }

    private Execution execution(long id, String project) {
        return queries.find(id, project).orElseThrow(() -> ApiException.notFound("no replication execution " + id
                + (project == null ? "" : " with a task of project " + project)));
    }

    /** A path's id; anything but a number is an execution that does not exist. */
    private static long id(String id) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            throw ApiException.notFound("no replication execution " + id + "; executions are named by their numeric id");
        }
        return Long.parseLong(id);
    }

    private JsonNode object(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body is a JSON object");
        }
        return node;
    }

    private static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw ApiException.badRequest(name + " is one of " + allowed.stream().sorted().toList() + ", not '"
                    + value + "'");
        }
        return value;
    }

    private static int page(String value) {
        return value == null || value.isEmpty() ? 1 : (int) number("page", value, Integer.MAX_VALUE);
    }

    private static int pageSize(String value) {
        return value == null || value.isEmpty() ? DEFAULT_PAGE_SIZE : (int) number("page_size", value, MAX_PAGE_SIZE);
    }

    private static long number(String name, String value, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // The same answer as a number out of range.
        }
        throw ApiException.badRequest(name + " must be an integer from 1" + (max >= Integer.MAX_VALUE ? " up"
                : " to " + max) + ", not '" + value + "'");
    }

    /**
     * A page with {@code X-Total-Count} and Harbor's {@code Link} header to the pages around it
     * ({@code <path?query>; rel="prev", <path?query>; rel="next"}), relative, so it holds behind the
     * gateway.
     */
    private static Response paged(List<Map<String, Object>> items, long total, int page, int size, UriInfo uri) {
        Response.ResponseBuilder r = Response.ok(items).header("X-Total-Count", total);
        List<String> links = new java.util.ArrayList<>();
        if (page > 1) {
            links.add(link(uri, page - 1, "prev"));
        }
        if ((long) page * size < total) {
            links.add(link(uri, page + 1, "next"));
        }
        if (!links.isEmpty()) {
            r.header("Link", String.join(", ", links));
        }
        return r.build();
    }

    /** The request's path and query with another {@code page}. */
    private static String link(UriInfo uri, int page, String rel) {
        StringBuilder to = new StringBuilder(uri.getPath()).append('?');
        uri.getQueryParameters().forEach((k, values) -> {
            if (!k.equals("page")) {
                values.forEach(v -> to.append(encode(k)).append('=').append(encode(v)).append('&'));
            }
        });
        return "<" + to.append("page=").append(page) + ">; rel=\"" + rel + "\"";
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Map<String, Object> view(Execution e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("policy_id", e.policyId());
        v.put("policy_name", e.policyName());
        v.put("trigger", e.trigger());
        v.put("status", e.status());
        v.put("status_text", e.statusText());
        v.put("total", e.counts().total());
        v.put("succeeded", e.counts().succeeded());
        v.put("failed", e.counts().failed());
        v.put("stopped", e.counts().stopped());
        v.put("in_progress", e.counts().inProgress());
        v.put("bytes", e.counts().bytes());
        v.put("start_time", time(e.startedAt()));
        v.put("end_time", time(e.endedAt()));
        v.put("started_by", e.startedBy());
        return v;
    }

    static Map<String, Object> view(Task t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id());
        v.put("execution_id", t.executionId());
        v.put("operation", t.operation());
        v.put("resource_type", t.artifactType());
        v.put("src_resource", resource(t.srcRepository(), t.srcReference()));
        v.put("dst_resource", resource(t.dstRepository(), t.dstReference()));
        v.put("digest", t.digest());
        v.put("status", t.status());
        v.put("attempts", t.attempts());
        v.put("error", t.error());
        v.put("bytes", t.bytes());
        v.put("start_time", time(t.startedAt()));
        v.put("end_time", time(t.endedAt()));
        return v;
    }

    /** {@code repo:tag}, or {@code repo@digest} for a reference that is a digest. */
    private static String resource(String repository, String reference) {
        return repository + (reference.contains(":") ? "@" : ":") + reference;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
