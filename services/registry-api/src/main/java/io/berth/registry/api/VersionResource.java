package io.berth.registry.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v2/}: the API version check every client makes first. A 200 tells it this is a
 * registry speaking the distribution API v2 (issue #4 puts the token challenge in front).
 */
@Path("/v2/")
public class VersionResource {

    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response check() {
        return Response.ok("{}").header(API_VERSION_HEADER, API_VERSION).build();
    }

    @HEAD
    public Response checkHead() {
        return Response.ok().header(API_VERSION_HEADER, API_VERSION).build();
    }
}
