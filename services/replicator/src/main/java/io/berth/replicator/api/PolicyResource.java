package io.berth.replicator.api;

import io.berth.errors.ApiException;
import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.policy.FiltersJson;
import io.berth.replicator.policy.Policies;
import io.berth.replicator.policy.Policy;
import io.berth.replicator.policy.PolicyRequests;
import io.berth.replicator.security.AdminFilter;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Replication policies, for system administrators ({@link AdminFilter}); ADR 0039 and
 * docs/replication.md:
 * <ul>
 *   <li>{@code GET /api/v1/replication/policies}: every policy by name ({@code ?name=}: the one so named).
 *   <li>{@code POST}: creates one, in berth's shape or Harbor's (the seed's example as written);
 *       201 with its Location; 400 naming the field at fault; 409 for a taken name.
 *   <li>{@code GET|PUT|DELETE /{id}}: read, change (fields left out keep their value), delete
 *       (with its executions).
 * </ul>
 */
@Path("/api/v1/replication/policies")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PolicyResource {

    private final Policies policies;
    private final PolicyRequests requests;
    private final Endpoints endpoints;

    public PolicyResource(Policies policies, PolicyRequests requests, Endpoints endpoints) {
        this.policies = policies;
        this.requests = requests;
        this.endpoints = endpoints;
    }

    @GET
    public List<Map<String, Object>> list(@QueryParam("name") String name) {
        Map<Long, Endpoint> byId = endpoints.list().stream().collect(Collectors.toMap(Endpoint::id, Function.identity()));
        return policies.list(name).stream().map(p -> view(p, byId.get(p.endpointId()))).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(String body, @Context ContainerRequestContext request) {
        Policy p = policies.create(requests.create(body), AdminFilter.caller(request));
        return Response.status(Response.Status.CREATED).entity(view(p))
                .header("Location", "/api/v1/replication/policies/" + p.id()).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return view(policy(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@PathParam("id") String id, String body, @Context ContainerRequestContext request) {
        Policy current = policy(id);
        return view(policies.update(current, requests.update(current, body), AdminFilter.caller(request)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        policies.delete(policy(id).id(), AdminFilter.caller(request));
        return Response.noContent().build();
    }

    private Policy policy(String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no replication policy " + id + "; policies are named by their numeric id");
        }
        return policies.find(n).orElseThrow(() -> Policies.notFound(n));
    }

    private Map<String, Object> view(Policy p) {
        return view(p, endpoints.find(p.endpointId()).orElse(null));
    }

    static Map<String, Object> view(Policy p, Endpoint e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", p.id());
        v.put("name", p.name());
        v.put("description", p.description());
        v.put("enabled", p.enabled());
        v.put("direction", p.direction().wire());
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("id", p.endpointId());
        endpoint.put("name", e == null ? null : e.name());
        endpoint.put("url", e == null ? null : e.url());
        v.put("endpoint", endpoint);
        v.put("filters", FiltersJson.write(p.filters()));
        v.put("destNamespace", p.destNamespace());
        v.put("flatten", p.flatten());
        v.put("overwrite", p.overwrite());
        v.put("replicateDeletion", p.replicateDeletion());
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", p.trigger().wire());
        trigger.put("cron", p.cron());
        v.put("trigger", trigger);
        v.put("speedKib", p.speedKib());
        v.put("createdBy", p.createdBy());
        v.put("createdAt", p.createdAt().toString());
        v.put("updatedBy", p.updatedBy());
        v.put("updatedAt", p.updatedAt().toString());
        return v;
    }
}
