package io.berth.auth.api;

import io.berth.auth.service.Caller;
import io.berth.auth.service.RefreshTokens;
import io.berth.auth.service.TokenService;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
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
 * scope}}, with {@code refresh_token} when one was asked for. Without credentials the caller is
 * anonymous; with Basic credentials it is a Keycloak user (password or CLI secret) or a robot
 * account ({@code robot$...}) or a service account ({@code service$...}), and wrong credentials get 401 (what {@code docker login} tests).
 */
@Path("/service/token")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final TokenService tokens;
    private final ApiCallers callers;
    private final RefreshTokens refreshTokens;

    public TokenResource(TokenService tokens, ApiCallers callers, RefreshTokens refreshTokens) {
        this.tokens = tokens;
        this.callers = callers;
        this.refreshTokens = refreshTokens;
    }

    /**
     * The OAuth2 form of the same request, as containerd and docker send it:
     * {@code grant_type=password} with {@code username} and {@code password}
     * ({@code access_type=offline} adds a refresh token), or {@code grant_type=refresh_token}
     * with a {@code refresh_token} from an earlier answer. Scopes are space-separated in one
     * field. An unknown, expired or revoked refresh token gets 400 {@code invalid_grant}
     * (RFC 6749), so that a client logs in again.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response oauth(@FormParam("grant_type") String grantType, @FormParam("service") String service,
            @FormParam("scope") String scope, @FormParam("username") String username,
            @FormParam("password") String password, @FormParam("access_type") String accessType,
            @FormParam("refresh_token") String refreshToken) {
        List<String> scopes = scope == null ? List.of() : List.of(scope);
        if ("refresh_token".equals(grantType)) {
            if (refreshToken == null || refreshToken.isEmpty()) {
                return oauthError("invalid_request", "refresh_token is required");
            }
            ApiCallers.Authenticated who;
            try {
                who = callers.redeem(refreshToken);
            } catch (ApiException e) {
                if (e.code() != ApiErrorCode.UNAUTHORIZED) {
                    throw e;
                }
                return oauthError("invalid_grant", "the refresh token is unknown, expired or revoked, or its account is disabled");
            }
            return answer(service, scopes, () -> who.caller(), refreshToken);
        }
        if (!"password".equals(grantType)) {
            return oauthError("unsupported_grant_type", "this token service takes grant_type=password or refresh_token");
        }
        if (username == null || password == null) {
            return oauthError("invalid_request", "username and password are required");
        }
        return answer(service, scopes, () -> callers.authenticate(username, password).caller(),
                "offline".equals(accessType) ? "" : null);
    }

    /**
     * The token spec's {@code GET}: anonymous, or with Basic credentials; {@code offline_token=true}
     * adds a refresh token for a caller who is not anonymous.
     */
    @GET
    public Response token(@QueryParam("service") String service, @QueryParam("scope") List<String> scopes,
            @QueryParam("offline_token") String offlineToken, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return answer(service, scopes, authorization == null || authorization.isBlank() ? () -> Caller.ANONYMOUS
                : () -> callers.forToken(authorization), "true".equalsIgnoreCase(offlineToken) ? "" : null);
    }

    /**
     * @param refresh null for no refresh token, "" for a new one, or the one to hand back
     */
    private Response answer(String service, List<String> scopes, Supplier<Caller> caller, String refresh) {
        if (service != null && !service.equals(tokens.service())) {
            return error("this token service issues tokens for service '" + tokens.service() + "'");
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
                    return error(e.getMessage());
                }
            }
        }
        Caller who = caller.get();
        var issued = tokens.issue(who, requested);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt()));
        body.put("scope", String.join(" ", issued.access().stream().map(Scope::toString).toList()));
        // A service account asks again with its secret: no refresh token outlives a changed one.
        if (refresh != null && !who.anonymous() && !who.isService()) {
            body.put("refresh_token", refresh.isEmpty() ? refreshTokens.issue(who) : refresh);
        }
        return Response.ok(body).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response oauthError(String error, String description) {
        return Response.status(400).entity(Map.of("error", error, "error_description", description)).build();
    }

    private static Response error(String message) {
        return WireErrors.api(ApiErrorCode.BAD_REQUEST, message).toResponse();
    }
}
