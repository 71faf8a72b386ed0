package io.berth.scanner.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.callers.AuthClient;
import io.berth.security.ProjectRole;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Finds out who calls the scan API ({@code /api/v1/projects/{project}/...} and
 * {@code /api/v1/vulnerabilities/...}) and what they may do there, by asking auth with the caller's
 * own header ({@link AuthClient}, libs/callers), as gc's filter does for retention: {@code users/current} says who
 * they are and whether they are a system administrator; for anyone else on a project path
 * {@code GET /api/v1/projects/{p}} says whether they see the project, whether it is public and
 * their {@code currentUserRole}; on {@code /api/v1/vulnerabilities} {@code GET /api/v1/projects}
 * lists the projects they see. The result is a {@link ScanCaller}; each resource method asks it
 * for the right it needs, before it looks anything up.
 *
 * <p>It runs after matching, so it sees the {@code project} exactly as the resource will, and
 * paths no resource serves are 404 without a call to auth.
 */
public class ProjectAccessFilter {

    private static final Logger LOG = Logger.getLogger(ProjectAccessFilter.class);
    /** A project name as auth allows it; anything else is no project anyone may see. */
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private final AuthClient auth;

    public ProjectAccessFilter(AuthClient auth) {
        this.auth = auth;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean vulnerabilities = path.startsWith("/api/v1/vulnerabilities/");
        if (!path.startsWith("/api/v1/projects/") && !vulnerabilities) {
            return null;
        }
        Response anonymous = AuthClient.withoutCredentials(request);
        if (anonymous != null) {
            return Uni.createFrom().item(anonymous);
        }
        String project = request.getUriInfo().getPathParameters().getFirst("project");
        return auth.get("/api/v1/users/current", request).flatMap(answer -> {
            if (answer.statusCode() != 200) {
                return Uni.createFrom().item(auth.refusal(request, answer));
            }
            AuthClient.Caller caller = auth.caller(answer);
            if (caller == null) {
                return Uni.createFrom().item(AuthClient.refuse(request, AuthClient.unavailable()));
            }
            if (caller.admin()) {
                return pass(request, new ScanCaller(caller.name(), true, null, null));
            }
            if (vulnerabilities) {
                return auth.get("/api/v1/projects", request).map(list -> readable(request, caller, list));
            }
            if (project == null || !PROJECT_NAME.matcher(project).matches()) {
                ScanCaller.ProjectView none = new ScanCaller.ProjectView(String.valueOf(project), false, false, null);
                return pass(request, new ScanCaller(caller.name(), false, none, null));
            }
            return auth.get("/api/v1/projects/" + project, request).map(view -> project(request, caller, project, view));
        }).onFailure().recoverWithItem(e -> AuthClient.unavailable(request, e));
    }

    private Response project(ContainerRequestContext request, AuthClient.Caller caller, String project,
            HttpResponse<String> answer) {
        ScanCaller.ProjectView view;
        if (answer.statusCode() == 404 || answer.statusCode() == 403) {
            view = new ScanCaller.ProjectView(project, false, false, null);
        } else if (answer.statusCode() != 200) {
            return auth.refusal(request, answer);
        } else {
            JsonNode node = auth.read(answer.body());
            if (node == null || !node.has("currentUserRole")) {
                LOG.warnf("auth's project answer has no currentUserRole (an older auth?)");
                return AuthClient.refuse(request, AuthClient.unavailable());
            }
            ProjectRole role;
            try {
                role = node.path("currentUserRole").isTextual()
                        ? ProjectRole.fromWire(node.path("currentUserRole").asText()) : null;
            } catch (IllegalArgumentException e) {
                LOG.warnf("auth named a role scanner-bridge does not know: %s", e.getMessage());
                return AuthClient.refuse(request, AuthClient.unavailable());
            }
            view = new ScanCaller.ProjectView(project, true, node.path("public").asBoolean(false), role);
        }
        request.setProperty(ScanCaller.PROPERTY, new ScanCaller(caller.name(), false, view, null));
        request.setProperty(AdminFilter.CALLER, caller.name());
        return null;
    }

    private Response readable(ContainerRequestContext request, AuthClient.Caller caller, HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return auth.refusal(request, answer);
        }
        JsonNode list = auth.read(answer.body());
        if (list == null || !list.isArray()) {
            return AuthClient.refuse(request, AuthClient.unavailable());
        }
        Set<String> names = new LinkedHashSet<>();
        list.forEach(p -> {
            if (p.path("name").isTextual()) {
                names.add(p.path("name").asText());
            }
        });
        request.setProperty(ScanCaller.PROPERTY, new ScanCaller(caller.name(), false, null, Set.copyOf(names)));
        request.setProperty(AdminFilter.CALLER, caller.name());
        return null;
    }

    private static Uni<Response> pass(ContainerRequestContext request, ScanCaller caller) {
        request.setProperty(ScanCaller.PROPERTY, caller);
        request.setProperty(AdminFilter.CALLER, caller.name());
        return Uni.createFrom().nullItem();
    }
}
