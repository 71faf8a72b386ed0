package io.berth.auth.api;

import io.berth.auth.service.TokenService;
import io.berth.security.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /service/token}, the Docker Registry token endpoint: the answer is
 * {@code {token, access_token, expires_in, issued_at}}. This first step serves anonymous
 * requests (public projects may be pulled); a request with credentials is refused with 401 until
 * users and robots can be checked (the rest of issue #4), rather than treated as anonymous.
 */
@Path("/service/token")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @GET
    public Response token(@QueryParam("service") String service, @QueryParam("scope") List<String> scopes,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (service != null && !service.equals(tokens.service())) {
            return error(400, "UNSUPPORTED", "this token service issues tokens for service '" + tokens.service() + "'");
        }
        List<Scope> requested = new ArrayList<>();
        for (String s : scopes == null ? List.<String>of() : scopes) {
            // A client may also send several scopes in one parameter, separated by spaces.
            for (String one : s.trim().split(" +")) {
                if (one.isEmpty()) {
                    continue;
                }
                try {
                    requested.add(Scope.parse(one));
                } catch (IllegalArgumentException e) {
                    return error(400, "UNSUPPORTED", e.getMessage());
                }
            }
        }
        if (authorization != null && !authorization.isBlank()) {
            return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"berth\"")
                    .entity(errors("UNAUTHORIZED", "these credentials cannot be checked")).build();
        }
        var issued = tokens.issueAnonymous(requested);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt()));
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).entity(errors(code, message)).build();
    }

    private static Map<String, Object> errors(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }
}
