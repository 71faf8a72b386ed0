package io.berth.auth.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /api/v1/users/current}: who the credentials belong to. */
@Path("/api/v1/users/current")
public class UserResource {

    private final ApiCallers callers;

    public UserResource(ApiCallers callers) {
        this.callers = callers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> current(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        var caller = callers.of(auth);
        return Map.of("username", caller.subject(), "admin", caller.admin(), "robot", caller.isRobot(),
                "groups", caller.groups().stream().sorted().toList());
    }
}
