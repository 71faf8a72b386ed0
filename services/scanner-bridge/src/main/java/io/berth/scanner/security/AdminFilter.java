package io.berth.scanner.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
import io.berth.scanner.config.AdminAuthConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use scanner-bridge's system API ({@code /api/v1/system/...}: the
 * vulnerability database), by the rules of auth's management API (docs/security.md): the caller's
 * {@code Authorization} (Basic credentials of a user or robot, or a Keycloak bearer token) is shown
 * to auth's {@code GET /api/v1/users/current}, which checks it, limits guessing and says whether its
 * owner is an administrator. Nothing is cached: a revoked administrator is refused at once. auth's
 * refusals are passed on as they are (401 with its challenge, 429 with {@code Retry-After}); when
 * auth cannot be asked the answer is 503, never a pass. Other paths (the Pluggable Scanner API,
 * project paths) are not this filter's.
 *
 * <p>The same small class as gc's {@code io.berth.gc.security.AdminFilter} (without gc's project
 * retention rule); both belong in a shared lib.
 */
public class AdminFilter {

    /** The request property holding the administrator's name, for {@code requestedBy}. */
    public static final String CALLER = "berth.scanner.caller";

    private static final Logger LOG = Logger.getLogger(AdminFilter.class);
    private static final String PREFIX = "/api/v1/system/";
    private static final String CHALLENGE = "Basic realm=\"berth\"";

    private final AdminAuthConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public AdminFilter(AdminAuthConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX) && !path.equals(PREFIX.substring(0, PREFIX.length() - 1))) {
            return null;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().item(refuse(request, ApiException.unauthorized(
                    "Basic credentials of a user or robot, or a Keycloak bearer token, are needed", CHALLENGE)));
        }
        HttpRequest.Builder current = HttpRequest.newBuilder(URI.create(config.url() + "/api/v1/users/current"))
                .timeout(config.timeout()).header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        String forwarded = request.getHeaderString("X-Forwarded-For");
        if (forwarded != null) {
            current.header("X-Forwarded-For", forwarded);
        }
        return Uni.createFrom().completionStage(http.sendAsync(current.build(), HttpResponse.BodyHandlers.ofString()))
                .map(answer -> decide(request, answer))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("auth could not be asked about a caller: %s", e.toString());
                    return refuse(request, unavailable());
                });
    }

    private Response decide(ContainerRequestContext request, HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return refusal(request, answer);
        }
        JsonNode caller = read(answer.body());
        if (caller == null || !caller.path("username").isTextual()) {
            return refuse(request, unavailable());
        }
        String name = caller.path("username").asText();
        if (!caller.path("admin").asBoolean(false)) {
            return refuse(request, ApiException.forbidden(
                    "only system administrators may manage the vulnerability database; " + name + " is not one"));
        }
        request.setProperty(CALLER, name);
        return null;
    }

    /** auth's refusal passed on: 401 with its challenge, 403, 429 with Retry-After; anything else 503. */
    private Response refusal(ContainerRequestContext request, HttpResponse<String> answer) {
        String message = message(answer.body());
        return switch (answer.statusCode()) {
            case 401 -> refuse(request, ApiException.unauthorized(message == null ? "the credentials are not valid"
                    : message, answer.headers().firstValue(HttpHeaders.WWW_AUTHENTICATE).orElse(CHALLENGE)));
            case 403 -> refuse(request, ApiException.forbidden(message == null ? "refused" : message));
            case 429 -> refuse(request, new ApiException(ApiErrorCode.TOO_MANY_REQUESTS,
                    message == null ? "too many failed logins; try again later" : message,
                    answer.headers().firstValueAsLong("Retry-After").orElse(60)));
            default -> {
                LOG.warnf("auth answered %d when asked about a caller", answer.statusCode());
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
