package io.berth.replicator.api;

import io.berth.errors.ApiException;
import io.berth.replicator.endpoints.Endpoint;
import io.berth.replicator.endpoints.EndpointRequests;
import io.berth.replicator.endpoints.Endpoints;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote registries replication talks to, for system administrators ({@link AdminFilter});
 * docs/replication.md:
 * <ul>
 *   <li>{@code GET /api/v1/replication/endpoints}: every endpoint, by name.
 *   <li>{@code POST}: registers one ({@code name, type, url, insecure, credential, description});
 *       201 with its Location; 400 naming the field at fault; 409 for a taken name.
 *   <li>{@code GET|PUT|DELETE /{id}}: read, change (fields left out keep their value), delete.
 *   <li>{@code POST /{id}/ping}: checks that the remote answers as a registry and takes the
 *       credentials; {@code POST /ping} does the same for a body not saved yet.
 * </ul>
 * A password is never in an answer: {@code credential.passwordSet} says one is stored.
 */
@Path("/api/v1/replication/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class EndpointResource {

    private final Endpoints endpoints;
    private final EndpointRequests requests;

    public EndpointResource(Endpoints endpoints, EndpointRequests requests) {
        this.endpoints = endpoints;
        this.requests = requests;
    }

    @GET
    public List<Map<String, Object>> list() {
        return endpoints.list().stream().map(EndpointResource::view).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(String body, @Context ContainerRequestContext request) {
        Endpoint e = endpoints.create(requests.create(body), AdminFilter.caller(request));
        return Response.status(Response.Status.CREATED).entity(view(e))
                .header("Location", "/api/v1/replication/endpoints/" + e.id()).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return view(endpoint(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@PathParam("id") String id, String body, @Context ContainerRequestContext request) {
        Endpoint current = endpoint(id);
        return view(endpoints.update(current, requests.update(current, body), AdminFilter.caller(request)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        endpoints.delete(endpoint(id).id(), AdminFilter.caller(request));
        return Response.noContent().build();
    }

    /**
     * 200 with {@code ok: true}, how the remote authenticates and how long the check took; or
     * 200 with {@code ok: false} and an {@code error} per way it failed: {@code dns},
     * {@code connection-refused}, {@code tls}, {@code timeout}, {@code unauthorized},
     * {@code forbidden}, {@code not-a-registry}, {@code rejected}, {@code io}.
     */
    @POST
    @Path("{id}/ping")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> ping(@PathParam("id") String id) {
        Endpoint e = endpoint(id);
        return ping(endpoints.client(e), e.name(), e.url());
    }

    /** The same check for an endpoint not saved yet: the body is a create body. */
    @POST
    @Path("ping")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> pingUnsaved(String body) {
        var spec = requests.create(body);
        return ping(endpoints.client(spec), spec.name(), spec.url());
    }

    private static Map<String, Object> ping(RegistryClient client, String name, String url) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", name);
        out.put("url", url);
        long start = System.nanoTime();
        try {
            RegistryClient.Ping ping = client.ping();
            out.put("ok", true);
            out.put("auth", ping.auth());
            out.put("apiVersion", ping.apiVersion());
        } catch (RemoteException e) {
            out.put("ok", false);
            out.put("error", e.reason().wire());
            out.put("message", e.getMessage());
            if (e.status() != 0) {
                out.put("status", e.status());
            }
        }
        out.put("durationMs", (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    private Endpoint endpoint(String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no replication endpoint " + id + "; endpoints are named by their numeric id");
        }
        return endpoints.find(n).orElseThrow(() -> ApiException.notFound("no replication endpoint " + id));
    }

    static Map<String, Object> view(Endpoint e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("name", e.name());
        v.put("type", e.type().wire());
        v.put("url", e.url());
        v.put("insecure", e.insecure());
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("type", e.hasCredentials() ? "basic" : "none");
        if (e.hasCredentials()) {
            credential.put("username", e.username());
            credential.put("passwordSet", true);
        }
        v.put("credential", credential);
        v.put("description", e.description());
        v.put("createdBy", e.createdBy());
        v.put("createdAt", e.createdAt().toInstant().toString());
        v.put("updatedBy", e.updatedBy());
        v.put("updatedAt", e.updatedAt().toInstant().toString());
        return v;
    }
}
