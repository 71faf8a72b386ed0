package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.TokenService;
import io.berth.security.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import java.util.function.Supplier;

/**
 * {@code /service/token}, the Docker Registry token endpoint ({@code GET}, and {@code POST}
 * with the OAuth2 form): the answer is {@code {token, access_token, expires_in, issued_at,
 * scope}}. Without credentials the caller is
 * anonymous; with Basic credentials it is a Keycloak user whose password Keycloak checks, and
 * wrong credentials get 401 (what {@code docker login} tests). A name starting with
 * {@code robot$} is a robot account, checked by auth itself.
 */
@Path("/service/token")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;
    private final ApiCallers callers;

    public TokenResource(TokenService tokens, ApiCallers callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    /**
     * The OAuth2 form of the same request ({@code POST}, {@code grant_type=password}), as
     * containerd sends it when it has a password. Scopes are space-separated in one field.
     * Refresh tokens are not issued yet, so {@code grant_type=refresh_token} is refused.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response oauth(@FormParam("grant_type") String grantType, @FormParam("service") String service,
            @FormParam("scope") String scope, @FormParam("username") String username,
            @FormParam("password") String password) {
        if (!"password".equals(grantType)) {
            return Response.status(400).entity(Map.of("error", "unsupported_grant_type",
                    "error_description", "this token service takes grant_type=password")).build();
        }
        if (username == null || password == null) {
            return Response.status(400).entity(Map.of("error", "invalid_request",
                    "error_description", "username and password are required")).build();
        }
        return answer(service, scope == null ? List.of() : List.of(scope), () -> callers.authenticate(username, password));
    }

    @GET
    public Response token(@QueryParam("service") String service, @QueryParam("scope") List<String> scopes,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(service, scopes, authorization == null || authorization.isBlank() ? () -> Caller.ANONYMOUS
                : () -> callers.of(authorization));
    }

    private Response answer(String service, List<String> scopes, Supplier<Caller> caller) {
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
        var issued = tokens.issue(caller.get(), requested);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt()));
        body.put("scope", String.join(" ", issued.access().stream().map(Scope::toString).toList()));
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).entity(ApiExceptionMapper.body(code, message)).build();
    }
}
