package io.berth.auth.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.auth.metadata.MemberRepository.Member;
import io.berth.auth.metadata.ProjectRepository.Project;
import io.berth.auth.metadata.ProjectRepository.Settings;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.security.policy.ImmutableTagRule;
import io.berth.security.policy.VulnerabilityPolicy;
import io.berth.auth.service.Caller;
import io.berth.auth.service.ProjectService;
import io.berth.security.ProjectRole;
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
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Projects, their members and their robot accounts under {@code /api/v1/projects}: the contract
 * clients and scripts use (issue #4). {@code GET /api/v1/projects/{project}} also says the
 * caller's own role in it ({@code currentUserRole}, null if not a member). Every call takes Basic credentials ({@link ApiCallers});
 * who may do what is {@link ProjectService}'s.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProjectResource {

    /**
     * {@code {"name": "...", "public": false}}, and optionally {@code quotaBytes} (-1 for none),
     * {@code immutableTagRules} and {@code vulnerabilityPolicy}. On update, fields left out stay
     * as they are.
     */
    public record ProjectBody(String name, @JsonProperty("public") Boolean isPublic, Long quotaBytes,
            List<ImmutableTagRule> immutableTagRules, VulnerabilityPolicy vulnerabilityPolicy) {

        Settings settings() {
            return new Settings(isPublic, quotaBytes, immutableTagRules, vulnerabilityPolicy);
        }
    }

    /** {@code {"username": "..."}} or {@code {"group": "..."}}, and a role. */
    public record NewMember(String username, String group, String role) {}

    /** {@code {"role": "..."}}. */
    public record RoleChange(String role) {}

    /** {@code {"name": "ci", "permissions": ["pull", "push"], "expiresInDays": -1}}. */
    public record NewRobot(String name, Set<String> permissions, Integer expiresInDays) {}

    /** {@code {"disabled": true}}. */
    public record RobotState(Boolean disabled) {}

    private final ApiCallers callers;
    private final ProjectService projects;

    public ProjectResource(ApiCallers callers, ProjectService projects) {
        this.callers = callers;
        this.projects = projects;
    }

    @POST
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, ProjectBody body) {
        require(body != null && body.name() != null, "name is required");
        Project p = projects.create(callers.of(auth), body.name(), body.settings());
        return Response.created(URI.create("/api/v1/projects/" + p.name())).entity(view(p)).build();
    }

    @GET
    public List<Map<String, Object>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        return projects.list(callers.of(auth)).stream().map(ProjectResource::view).toList();
    }

    @GET
    @Path("{project}")
    public Map<String, Object> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("project") String project) {
        Caller caller = callers.of(auth);
        Project p = projects.get(caller, project);
        Map<String, Object> view = view(p);
        // The caller's own role (Harbor's current_user_role_id), null if not a member: what gc
        // asks before letting a projectAdmin manage the project's retention policy.
        view.put("currentUserRole", projects.roleOf(caller, p).map(ProjectRole::wireName).orElse(null));
        return view;
    }

    @PUT
    @Path("{project}")
    public Map<String, Object> update(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, ProjectBody body) {
        require(body != null && !body.settings().isEmpty(),
                "give at least one of public, quotaBytes, immutableTagRules, vulnerabilityPolicy");
        require(body.name() == null || body.name().equals(project), "a project cannot be renamed");
        return view(projects.update(callers.of(auth), project, body.settings()));
    }

    @DELETE
    @Path("{project}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("project") String project) {
        projects.delete(callers.of(auth), project);
        return Response.noContent().build();
    }

    @GET
    @Path("{project}/members")
    public List<Map<String, Object>> members(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project) {
        return projects.members(callers.of(auth), project).stream().map(ProjectResource::view).toList();
    }

    @POST
    @Path("{project}/members")
    public Response addMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, NewMember body) {
        require(body != null && body.role() != null && (body.username() == null) != (body.group() == null),
                "give a role and either username or group");
        String kind = body.username() != null ? "user" : "group";
        String name = body.username() != null ? body.username() : body.group();
        projects.addMember(callers.of(auth), project, kind, name, body.role());
        return Response.created(URI.create("/api/v1/projects/" + project + "/members/" + kind + "/" + name)).build();
    }

    @PUT
    @Path("{project}/members/{kind: user|group}/{name}")
    public Response setRole(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("project") String project,
            @PathParam("kind") String kind, @PathParam("name") String name, RoleChange body) {
        require(body != null && body.role() != null, "role is required");
        projects.setRole(callers.of(auth), project, kind, name, body.role());
        return Response.noContent().build();
    }

    @DELETE
    @Path("{project}/members/{kind: user|group}/{name}")
    public Response removeMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, @PathParam("kind") String kind, @PathParam("name") String name) {
        projects.removeMember(callers.of(auth), project, kind, name);
        return Response.noContent().build();
    }

    @POST
    @Path("{project}/robots")
    public Response createRobot(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, NewRobot body) {
        require(body != null && body.name() != null && body.permissions() != null, "name and permissions are required");
        var issued = projects.createRobot(callers.of(auth), project, body.name(), body.permissions(),
                body.expiresInDays() == null ? -1 : body.expiresInDays());
        return Response.status(201).entity(Map.of("name", issued.name(), "secret", issued.secret())).build();
    }

    @GET
    @Path("{project}/robots")
    public List<Map<String, Object>> robots(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project) {
        return projects.robots(callers.of(auth), project).stream().map(RobotViews::view).toList();
    }

    @DELETE
    @Path("{project}/robots/{name}")
    public Response deleteRobot(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, @PathParam("name") String name) {
        projects.deleteRobot(callers.of(auth), project, name);
        return Response.noContent().build();
    }

    @POST
    @Path("{project}/robots/{name}/secret")
    public Map<String, String> refreshRobot(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, @PathParam("name") String name) {
        var issued = projects.refreshRobot(callers.of(auth), project, name);
        return Map.of("name", issued.name(), "secret", issued.secret());
    }

    @PUT
    @Path("{project}/robots/{name}")
    public Response setRobotState(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @PathParam("project") String project, @PathParam("name") String name, RobotState body) {
        require(body != null && body.disabled() != null, "disabled is required");
        projects.setRobotDisabled(callers.of(auth), project, name, body.disabled());
        return Response.noContent().build();
    }

    private static Map<String, Object> view(Project p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", p.name());
        view.put("public", p.isPublic());
        view.put("quotaBytes", p.quotaBytes() == null ? -1 : p.quotaBytes());
        view.put("usedBytes", p.usedBytes());
        view.put("immutableTagRules", p.immutableTagRules());
        view.put("vulnerabilityPolicy", p.vulnerabilityPolicy());
        view.put("createdAt", p.createdAt().toString());
        return view;
    }

    private static Map<String, Object> view(Member m) {
        return Map.of(m.kind().equals("user") ? "username" : "group", m.name(), "role", m.role().wireName());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ApiException(ApiErrorCode.BAD_REQUEST, message);
        }
    }
}
