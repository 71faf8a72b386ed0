package io.berth.replicator.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.callers.AuthClient;
import io.berth.callers.Paths;
import io.berth.errors.ApiException;
import io.berth.replicator.config.ReplicatorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may use the replication API ({@code /api/v1/replication/...}), as auth says
 * ({@link AuthClient}): system administrators everything, as Harbor does for registries and
 * replication rules; anonymous is 401 with the challenge, others 403, auth unreachable 503. The
 * path is judged with its dot segments resolved, before matching, so no spelling of a
 * replication path goes around it.
 *
 * <p>One more rule, for a project's projectAdmins: they may read ({@code GET}) the executions, tasks
 * and task logs of their project, named by {@code ?project=<p>} (required for them; without it
 * 403). auth's {@code GET /api/v1/projects/{p}} is asked with the caller's header, as gc's filter
 * asks it for retention, and its {@code currentUserRole} must be {@code projectAdmin}; a project
 * auth does not show the caller is a 403 too. The project is then the request's
 * {@link #project scope}: the resource shows only executions with a task of that project, and only
 * those tasks. An administrator may pass {@code ?project=} to see the same narrowed view.
 */
public class AdminFilter {

    /** The request property holding the caller's name, for {@code created_by}/{@code started_by}. */
    public static final String CALLER = "berth.replicator.caller";
    /** The request property holding the project the request's view is narrowed to, if any. */
    public static final String PROJECT = "berth.replicator.project";

    /** The executions API's reads: the list, one execution, its tasks, a task's log. */
    private static final Pattern EXECUTION_READ =
            Pattern.compile("/api/v1/replication/executions(/[0-9]+(/tasks(/[0-9]+/log)?)?)?/?");
    private final AuthClient auth;

    public AdminFilter(ReplicatorConfig config, ObjectMapper json) {
        this.auth = new AuthClient(config.auth().url(), config.auth().timeout(), json);
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = Paths.normalize(request.getUriInfo().getPath());
        if (!path.equals("/api/v1/replication") && !path.startsWith("/api/v1/replication/")) {
            return null;
        }
        Response anonymous = AuthClient.withoutCredentials(request);
        if (anonymous != null) {
            return Uni.createFrom().item(anonymous);
        }
        return auth.get("/api/v1/users/current", request)
                .flatMap(answer -> decide(request, path, answer))
                .onFailure().recoverWithItem(e -> AuthClient.unavailable(request, e));
    }

    private Uni<Response> decide(ContainerRequestContext request, String path, HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return Uni.createFrom().item(auth.refusal(request, answer));
        }
        AuthClient.Caller caller = auth.caller(answer);
        if (caller == null) {
            return refuse(request, AuthClient.unavailable());
        }
        List<String> projects = request.getUriInfo().getQueryParameters().get("project");
        if (projects != null && projects.size() > 1) {
            return refuse(request, ApiException.badRequest("project is given once"));
        }
        String project = projects == null ? null : projects.get(0);
        if (caller.admin()) {
            request.setProperty(CALLER, caller.name());
            if (project != null) {
                request.setProperty(PROJECT, project);
            }
            return Uni.createFrom().nullItem();
        }
        String method = request.getMethod();
        // No dot segments: what a projectAdmin passes must be the read it looks like.
        boolean read = ("GET".equals(method) || "HEAD".equals(method)) && EXECUTION_READ.matcher(path).matches()
                && !request.getUriInfo().getPath().contains("/.");
        if (!read) {
            return refuse(request, ApiException.forbidden("only system administrators may manage replication; "
                    + caller.name() + " is not one (a project's projectAdmins may read its executions with"
                    + " ?project=<project>)"));
        }
        if (project == null) {
            return refuse(request, ApiException.forbidden("only system administrators read every execution; "
                    + caller.name() + " is not one: a project's projectAdmins name it with ?project=<project>"));
        }
        ApiException notProjectAdmin = ApiException.forbidden("the executions of project " + project
                + " are read by its projectAdmins and system administrators; " + caller.name() + " is neither");
        return auth.requireProjectAdmin(request, project, notProjectAdmin).map(refusal -> {
            if (refusal != null) {
                return refusal;
            }
            request.setProperty(CALLER, caller.name());
            request.setProperty(PROJECT, project);
            return null;
        });
    }

    private static Uni<Response> refuse(ContainerRequestContext request, ApiException e) {
        return Uni.createFrom().item(AuthClient.refuse(request, e));
    }

    /** The caller the filter let through. */
    public static String caller(ContainerRequestContext request) {
        Object name = request.getProperty(CALLER);
        if (!(name instanceof String s)) {
            throw new IllegalStateException("no caller for " + request.getUriInfo().getPath() + "; AdminFilter did not run");
        }
        return s;
    }

    /**
     * The project the request's view is narrowed to, or null for everything (an administrator
     * without {@code ?project=}); for a caller who is not an administrator never null.
     */
    public static String project(ContainerRequestContext request) {
        caller(request);
        return request.getProperty(PROJECT) instanceof String s ? s : null;
    }
}
