package io.berth.replicator.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.callers.AuthClient;
import io.berth.callers.Paths;
import io.berth.replicator.config.ReplicatorConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use the replication API ({@code /api/v1/replication/...}: the
 * endpoints now, policies and executions later), as Harbor does for registries and replication
 * rules: auth says who the caller is ({@link AuthClient#requireAdmin}); anonymous is 401 with the
 * challenge, others 403, auth unreachable 503. The path is judged with its dot segments resolved,
 * before matching, so no spelling of a replication path goes around it. Project admins' view of
 * their projects' executions (a later part) will be a second rule here.
 */
public class AdminFilter {

    /** The request property holding the administrator's name, for {@code created_by}/{@code updated_by}. */
    public static final String CALLER = "berth.replicator.caller";

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
        return auth.requireAdmin(request, CALLER,
                name -> "only system administrators may manage replication; " + name + " is not one");
    }

    /** The administrator the filter let through. */
    public static String caller(ContainerRequestContext request) {
        Object name = request.getProperty(CALLER);
        if (!(name instanceof String s)) {
            throw new IllegalStateException("no caller for " + request.getUriInfo().getPath() + "; AdminFilter did not run");
        }
        return s;
    }
}
