package io.berth.gc.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
import io.berth.gc.config.GcConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use gc's API ({@code /api/v1/...}), by the rules of auth's
 * management API (docs/security.md): the caller's {@code Authorization} (Basic credentials of a
 * user or robot, or a Keycloak bearer token) is shown to auth's {@code GET
 * /api/v1/users/current}, which checks it, limits guessing and says whether its owner is an
 * administrator. gc keeps no credentials and no cache of them: gc's API is called rarely, and a
 * revoked administrator is refused at once. auth's refusals are passed on as they are (401 with
 * its challenge, 429 with {@code Retry-After}); when auth cannot be asked the answer is 503,
 * never a pass.
 */
public class AdminFilter {

    /** The request property holding the administrator's name, for {@code requestedBy}. */
    public static final String CALLER = "berth.gc.caller";

    private static final Logger LOG = Logger.getLogger(AdminFilter.class);
    private static final String PREFIX = "/api/v1/";
    private static final String CHALLENGE = "Basic realm=\"berth\"";

    private final GcConfig.Auth config;
    private final ObjectMapper json;
    private final HttpClient http;

    public AdminFilter(GcConfig config, ObjectMapper json) {
        this.config = config.auth();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.auth().timeout()).build();
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().item(refuse(request, ApiException.unauthorized(
                    "Basic credentials of a user or robot, or a Keycloak bearer token, are needed", CHALLENGE)));
        }
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(config.url() + "/api/v1/users/current"))
                .timeout(config.timeout()).header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        String forwarded = request.getHeaderString("X-Forwarded-For");
        if (forwarded != null) {
            ask.header("X-Forwarded-For", forwarded);
        }
        CompletionStage<HttpResponse<String>> answer = http.sendAsync(ask.build(), HttpResponse.BodyHandlers.ofString());
        return Uni.createFrom().completionStage(answer)
                .map(r -> decide(request, r))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("auth could not be asked about a caller: %s", e.toString());
                    return refuse(request, unavailable());
                });
    }

    private Response decide(ContainerRequestContext request, HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status == 200) {
            JsonNode caller = read(answer.body());
            if (caller == null || !caller.path("username").isTextual()) {
                return refuse(request, unavailable());
            }
            if (!caller.path("admin").asBoolean(false)) {
                return refuse(request, ApiException.forbidden("only system administrators may use gc's API; "
                        + caller.path("username").asText() + " is not one"));
            }
            request.setProperty(CALLER, caller.path("username").asText());
            return null;
        }
        String message = message(answer.body());
        return switch (status) {
            case 401 -> refuse(request, ApiException.unauthorized(message == null ? "the credentials are not valid"
                    : message, answer.headers().firstValue(HttpHeaders.WWW_AUTHENTICATE).orElse(CHALLENGE)));
            case 403 -> refuse(request, ApiException.forbidden(message == null ? "refused" : message));
            case 429 -> refuse(request, new ApiException(ApiErrorCode.TOO_MANY_REQUESTS,
                    message == null ? "too many failed logins; try again later" : message,
                    answer.headers().firstValueAsLong("Retry-After").orElse(60)));
            default -> {
                LOG.warnf("auth answered %d when asked about a caller", status);
                yield refuse(request, unavailable());
            }
        };
    }

    private static ApiException unavailable() {
        return new ApiException(ApiErrorCode.UNAVAILABLE, "auth cannot check credentials now; try again shortly", 5);
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private String message(String body) {
        JsonNode node = read(body);
        JsonNode m = node == null ? null : node.path("errors").path(0).path("message");
        return m == null || !m.isTextual() ? null : m.asText();
    }

    private static Response refuse(ContainerRequestContext request, ApiException e) {
        return WireErrors.of(e, request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString("traceparent")).toResponse();
    }
}
