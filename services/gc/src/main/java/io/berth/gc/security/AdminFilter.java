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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only system administrators use gc's API ({@code /api/v1/...}), by the rules of auth's
 * management API (docs/security.md): the caller's {@code Authorization} (Basic credentials of a
 * user or robot, or a Keycloak bearer token) is shown to auth's {@code GET
 * /api/v1/users/current}, which checks it, limits guessing and says whether its owner is an
 * administrator. A project's retention policy ({@code /api/v1/projects/{p}/retention...}) is
 * also open to the project's projectAdmins, as in Harbor: for a caller who is not an
 * administrator, auth's {@code GET /api/v1/projects/{p}} is asked with the same header, and its
 * {@code currentUserRole} must be {@code projectAdmin} (a project auth does not show the caller
 * is a 403 too, so nothing is learnt about projects one cannot see). gc keeps no credentials and
 * no cache of them: gc's API is called rarely, and a revoked administrator is refused at once.
 * auth's refusals are passed on as they are (401 with its challenge, 429 with
 * {@code Retry-After}); when auth cannot be asked the answer is 503, never a pass.
 */
public class AdminFilter {

    /** The request property holding the administrator's name, for {@code requestedBy}. */
    public static final String CALLER = "berth.gc.caller";

    private static final Logger LOG = Logger.getLogger(AdminFilter.class);
    private static final String PREFIX = "/api/v1/";
    private static final String CHALLENGE = "Basic realm=\"berth\"";
    /** The paths a project's projectAdmin may use too; group 1 is the project. */
    private static final Pattern PROJECT_PATH = Pattern.compile("/api/v1/projects/([^/]+)/retention(/.*)?");
    /** A project name as auth allows it; anything else is no project anyone administers. */
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

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
        HttpRequest.Builder current = HttpRequest.newBuilder(URI.create(config.url() + "/api/v1/users/current"))
                .timeout(config.timeout()).header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        String forwarded = request.getHeaderString("X-Forwarded-For");
        if (forwarded != null) {
            current.header("X-Forwarded-For", forwarded);
        }
        return ask(current.build())
                .flatMap(r -> decide(request, r, authorization, forwarded))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("auth could not be asked about a caller: %s", e.toString());
                    return refuse(request, unavailable());
                });
    }

    private Uni<HttpResponse<String>> ask(HttpRequest request) {
        CompletionStage<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        return Uni.createFrom().completionStage(answer);
    }

    private Uni<Response> decide(ContainerRequestContext request, HttpResponse<String> answer, String authorization,
            String forwarded) {
        if (answer.statusCode() != 200) {
            return Uni.createFrom().item(refusal(request, answer));
        }
        JsonNode caller = read(answer.body());
        if (caller == null || !caller.path("username").isTextual()) {
            return Uni.createFrom().item(refuse(request, unavailable()));
        }
        String name = caller.path("username").asText();
        if (caller.path("admin").asBoolean(false)) {
            request.setProperty(CALLER, name);
            return Uni.createFrom().nullItem();
        }
        Matcher project = PROJECT_PATH.matcher(request.getUriInfo().getPath());
        if (!project.matches()) {
            return Uni.createFrom().item(refuse(request, ApiException.forbidden(
                    "only system administrators may use gc's API; " + name + " is not one")));
        }
        String p = project.group(1);
        ApiException notProjectAdmin = ApiException.forbidden("the retention policy of project " + p
                + " is managed by its projectAdmins and system administrators; " + name + " is neither");
        // No dot segments: what a projectAdmin passes must be the retention path it looks like.
        if (!PROJECT_NAME.matcher(p).matches() || request.getUriInfo().getPath().contains("/.")) {
            return Uni.createFrom().item(refuse(request, notProjectAdmin));
        }
        HttpRequest.Builder role = HttpRequest.newBuilder(URI.create(config.url() + "/api/v1/projects/" + p))
                .timeout(config.timeout()).header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        if (forwarded != null) {
            role.header("X-Forwarded-For", forwarded);
        }
        return ask(role.build()).map(r -> {
            if (r.statusCode() == 404 || r.statusCode() == 403) {
                return refuse(request, notProjectAdmin);
            }
            if (r.statusCode() != 200) {
                return refusal(request, r);
            }
            JsonNode view = read(r.body());
            if (view == null || !view.has("currentUserRole")) {
                LOG.warnf("auth's project answer has no currentUserRole (an older auth?)");
                return refuse(request, unavailable());
            }
            if (!"projectAdmin".equals(view.path("currentUserRole").asText(null))) {
                return refuse(request, notProjectAdmin);
            }
            request.setProperty(CALLER, name);
            return null;
        });
    }

    /** auth's refusal passed on: 401 with its challenge, 403, 429 with Retry-After; anything else 503. */
    private Response refusal(ContainerRequestContext request, HttpResponse<String> answer) {
        int status = answer.statusCode();
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
