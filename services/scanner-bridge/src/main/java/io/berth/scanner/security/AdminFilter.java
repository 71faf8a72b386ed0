package io.berth.scanner.security;

import io.berth.errors.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use scanner-bridge's system API ({@code /api/v1/system/...}: the
 * vulnerability database, scan-all) and the scanner registry ({@code /api/v1/scanners...}), by the rules of auth's management API (docs/security.md): the
 * caller's {@code Authorization} (Basic credentials of a user or robot, or a Keycloak bearer token)
 * is shown to auth's {@code GET /api/v1/users/current} ({@link AuthClient}), which checks it, limits
 * guessing and says whether its owner is an administrator. The path is judged with its dot segments
 * resolved ({@code /api/v1/projects/p/../../scanners} is the scanner registry). Project paths,
 * a project's choice of scanner among them, are {@link ProjectAccessFilter}'s; the Pluggable
 * Scanner API is neither's.
 *
 * <p>The same small class as gc's {@code io.berth.gc.security.AdminFilter} (without gc's project
 * retention rule); both belong in a shared lib.
 */
public class AdminFilter {

    /** The request property holding the caller's name, for {@code requestedBy}. */
    public static final String CALLER = "berth.scanner.caller";

    private static final Pattern ADMIN_PATHS = Pattern.compile("/api/v1/(system|scanners)(/.*)?");

    private final AuthClient auth;

    public AdminFilter(AuthClient auth) {
        this.auth = auth;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        if (!ADMIN_PATHS.matcher(normalize(request.getUriInfo().getPath())).matches()) {
            return null;
        }
        Response anonymous = AuthClient.withoutCredentials(request);
        if (anonymous != null) {
            return Uni.createFrom().item(anonymous);
        }
        return auth.get("/api/v1/users/current", request)
                .map(answer -> decide(request, answer))
                .onFailure().recoverWithItem(e -> AuthClient.unavailable(request, e));
    }

    private Response decide(ContainerRequestContext request, java.net.http.HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return auth.refusal(request, answer);
        }
        AuthClient.Caller caller = auth.caller(answer);
        if (caller == null) {
            return AuthClient.refuse(request, AuthClient.unavailable());
        }
        if (!caller.admin()) {
            return AuthClient.refuse(request, ApiException.forbidden("only system administrators may use "
                    + request.getUriInfo().getPath() + " (the vulnerability database, scan-all, the scanners); "
                    + caller.name() + " is not one"));
        }
        request.setProperty(CALLER, caller.name());
        return null;
    }

    /** The path with dot segments resolved, as the resource that serves it sees it. */
    static String normalize(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        try {
            return new URI(null, null, path, null).normalize().getPath();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
