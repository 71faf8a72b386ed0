package io.berth.scanner.security;

import io.berth.callers.AuthClient;
import io.berth.callers.Paths;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use scanner-bridge's system API ({@code /api/v1/system/...}: the
 * vulnerability database, scan-all) and the scanner registry ({@code /api/v1/scanners...}), by the
 * rules of auth's management API (docs/security.md): the caller's {@code Authorization} (Basic
 * credentials of a user or robot, or a Keycloak bearer token) is shown to auth's
 * {@code GET /api/v1/users/current} ({@link AuthClient#requireAdmin}, libs/callers), which checks
 * it, limits guessing and says whether its owner is an administrator. The path is judged with its
 * dot segments resolved ({@code /api/v1/projects/p/../../scanners} is the scanner registry).
 * Project paths, a project's choice of scanner among them, are {@link ProjectAccessFilter}'s; the
 * Pluggable Scanner API is neither's.
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
        if (!ADMIN_PATHS.matcher(Paths.normalize(request.getUriInfo().getPath())).matches()) {
            return null;
        }
        return auth.requireAdmin(request, CALLER, name -> "only system administrators may use "
                + request.getUriInfo().getPath() + " (the vulnerability database, scan-all, the scanners); "
                + name + " is not one");
    }
}
