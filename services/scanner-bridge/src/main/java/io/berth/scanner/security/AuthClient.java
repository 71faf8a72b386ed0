package io.berth.scanner.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
import io.berth.scanner.config.AdminAuthConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.logging.Logger;

/**
 * Asks auth about a caller with the caller's own {@code Authorization} header: who they are
 * ({@code GET /api/v1/users/current}), their role in a project ({@code GET /api/v1/projects/{p}},
 * {@code currentUserRole}) and the projects they may see ({@code GET /api/v1/projects}). auth
 * checks the credentials, limits guessing and answers; scanner-bridge keeps no credentials and no
 * cache of them, so a revoked user is refused at once. The filters ({@link AdminFilter},
 * {@link ProjectAccessFilter}) pass auth's refusals on as they are (401 with its challenge, 429
 * with {@code Retry-After}); when auth cannot be asked the answer is 503, never a pass.
 */
@ApplicationScoped
public class AuthClient {

    static final String CHALLENGE = "Basic realm=\"berth\"";
    private static final Logger LOG = Logger.getLogger(AuthClient.class);

    private final AdminAuthConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public AuthClient(AdminAuthConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** auth's answer to {@code GET <path>} asked with the caller's header (and client address). */
    Uni<HttpResponse<String>> get(String path, ContainerRequestContext request) {
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.timeout())
                .header(HttpHeaders.AUTHORIZATION, request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        String forwarded = request.getHeaderString("X-Forwarded-For");
        if (forwarded != null) {
            ask.header("X-Forwarded-For", forwarded);
        }
        return Uni.createFrom().completionStage(http.sendAsync(ask.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The 401 of a request without credentials, or null if it has some. */
    static Response withoutCredentials(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            return null;
        }
        return refuse(request, ApiException.unauthorized(
                "Basic credentials of a user or robot, or a Keycloak bearer token, are needed", CHALLENGE));
    }

    /** The caller auth's {@code users/current} answer names, or null if the answer is not one. */
    Caller caller(HttpResponse<String> answer) {
        JsonNode node = read(answer.body());
        if (node == null || !node.path("username").isTextual()) {
            return null;
        }
        return new Caller(node.path("username").asText(), node.path("admin").asBoolean(false),
                node.path("robot").asBoolean(false));
    }

    /** Who auth says the caller is. */
    record Caller(String name, boolean admin, boolean robot) {}

    /** auth's refusal passed on: 401 with its challenge, 403, 429 with Retry-After; anything else 503. */
    Response refusal(ContainerRequestContext request, HttpResponse<String> answer) {
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

    /** The answer when auth cannot be asked or answers nonsense. */
    static Response unavailable(ContainerRequestContext request, Throwable e) {
        LOG.warnf("auth could not be asked about a caller: %s", e.toString());
        return refuse(request, unavailable());
    }

    static ApiException unavailable() {
        return new ApiException(ApiErrorCode.UNAVAILABLE, "auth cannot check credentials now; try again shortly", 5);
    }

    JsonNode read(String body) {
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

    static Response refuse(ContainerRequestContext request, ApiException e) {
        return WireErrors.of(e, request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString("traceparent")).toResponse();
    }
}
