package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.RobotService;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System robots under {@code /api/v1/robots}: {@code robot$<name>}, with permissions in several
 * projects (a CI system that builds for many teams, a replication peer). System administrators
 * only.
 */
@Path("/api/v1/robots")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SystemRobotResource {

    /** {@code {"name": "ci", "permissions": {"team-a": ["pull"], "team-b": ["pull", "push"]}, "expiresInDays": -1}}. */
    public record NewSystemRobot(String name, Map<String, Set<String>> permissions, Integer expiresInDays) {}

    private final ApiCallers callers;
    private final RobotService robots;

    public SystemRobotResource(ApiCallers callers, RobotService robots) {
        this.callers = callers;
        this.robots = robots;
    }

    @POST
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, NewSystemRobot body) {
        Caller caller = admin(auth);
        if (body == null || body.name() == null || body.permissions() == null || body.permissions().isEmpty()) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "name and permissions (project to actions) are required");
        }
        try {
            var issued = robots.createSystemRobot(caller.subject(), body.name(), body.permissions(),
                            body.expiresInDays() == null ? -1 : body.expiresInDays())
                    .orElseThrow(() -> new ApiException(ApiErrorCode.CONFLICT, "robot " + body.name() + " exists"));
            return Response.status(201).entity(Map.of("name", issued.name(), "secret", issued.secret())).build();
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    @GET
    public List<Map<String, Object>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        admin(auth);
        return robots.list(null).stream().map(RobotViews::view).toList();
    }

    @PUT
    @Path("{name}")
    public Response setState(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name,
            ProjectResource.RobotState body) {
        Caller caller = admin(auth);
        if (body == null || body.disabled() == null) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, "disabled is required");
        }
        if (!robots.setDisabled(caller.subject(), RobotService.systemRobotName(name), body.disabled())) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no system robot " + name);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/secret")
    public Map<String, String> refresh(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        Caller caller = admin(auth);
        var issued = robots.refreshSecret(caller.subject(), RobotService.systemRobotName(name))
                .orElseThrow(() -> new ApiException(ApiErrorCode.NOT_FOUND, "no system robot " + name));
        return Map.of("name", issued.name(), "secret", issued.secret());
    }

    @DELETE
    @Path("{name}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("name") String name) {
        Caller caller = admin(auth);
        if (!robots.delete(caller.subject(), RobotService.systemRobotName(name))) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no system robot " + name);
        }
        return Response.noContent().build();
    }

    private Caller admin(String auth) {
        Caller caller = callers.of(auth);
        if (!caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "system robots are managed by system administrators");
        }
        return caller;
    }
}
