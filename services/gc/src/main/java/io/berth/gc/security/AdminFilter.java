package io.berth.gc.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.callers.AuthClient;
import io.berth.errors.ApiException;
import io.berth.gc.config.GcConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use gc's API ({@code /api/v1/...}), by the rules of auth's
 * management API (docs/security.md): the caller's {@code Authorization} (Basic credentials of a
 * user or robot, or a Keycloak bearer token) is shown to auth's {@code GET
 * /api/v1/users/current} ({@link AuthClient}, libs/callers), which checks it, limits guessing and
 * says whether its owner is an administrator. A project's retention policy
 * ({@code /api/v1/projects/{p}/retention...}) is also open to the project's projectAdmins, as in
 * Harbor: for a caller who is not an administrator, auth's {@code GET /api/v1/projects/{p}} is
 * asked with the same header, and its {@code currentUserRole} must be {@code projectAdmin} (a
 * project auth does not show the caller is a 403 too, so nothing is learnt about projects one
 * cannot see). gc keeps no credentials and no cache of them: gc's API is called rarely, and a
 * revoked administrator is refused at once. auth's refusals are passed on as they are (401 with
 * its challenge, 429 with {@code Retry-After}); when auth cannot be asked the answer is 503,
 * never a pass.
 */
public class AdminFilter {

    /** The request property holding the administrator's name, for {@code requestedBy}. */
    public static final String CALLER = "berth.gc.caller";

    private static final String PREFIX = "/api/v1/";
    /** The paths a project's projectAdmin may use too; group 1 is the project. */
    private static final Pattern PROJECT_PATH = Pattern.compile("/api/v1/projects/([^/]+)/retention(/.*)?");
    private final AuthClient auth;

    public AdminFilter(GcConfig config, ObjectMapper json) {
        this.auth = new AuthClient(config.auth().url(), config.auth().timeout(), json);
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        Response anonymous = AuthClient.withoutCredentials(request);
        if (anonymous != null) {
            return Uni.createFrom().item(anonymous);
        }
        return auth.get("/api/v1/users/current", request)
                .flatMap(r -> decide(request, r))
                .onFailure().recoverWithItem(e -> AuthClient.unavailable(request, e));
    }

    private Uni<Response> decide(ContainerRequestContext request, HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return Uni.createFrom().item(auth.refusal(request, answer));
        }
        AuthClient.Caller caller = auth.caller(answer);
        if (caller == null) {
            return Uni.createFrom().item(AuthClient.refuse(request, AuthClient.unavailable()));
        }
        String name = caller.name();
        if (caller.admin()) {
            request.setProperty(CALLER, name);
            return Uni.createFrom().nullItem();
        }
        Matcher project = PROJECT_PATH.matcher(request.getUriInfo().getPath());
        if (!project.matches()) {
            return Uni.createFrom().item(AuthClient.refuse(request, ApiException.forbidden(
                    "only system administrators may use gc's API; " + name + " is not one")));
        }
        String p = project.group(1);
        ApiException notProjectAdmin = ApiException.forbidden("the retention policy of project " + p
                + " is managed by its projectAdmins and system administrators; " + name + " is neither");
        // No dot segments: what a projectAdmin passes must be the retention path it looks like.
        if (request.getUriInfo().getPath().contains("/.")) {
            return Uni.createFrom().item(AuthClient.refuse(request, notProjectAdmin));
        }
        return auth.requireProjectAdmin(request, p, notProjectAdmin).map(refusal -> {
            if (refusal != null) {
                return refusal;
            }
            request.setProperty(CALLER, name);
            return null;
        });
    }
}
