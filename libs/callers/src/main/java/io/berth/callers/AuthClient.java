package io.berth.callers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Asks auth about the caller of a service's {@code /api/v1} with the caller's own
 * {@code Authorization} header (Basic credentials of a user or robot, or a Keycloak bearer token),
 * by the rules of auth's management API (docs/security.md): who they are and whether they are a
 * system administrator ({@code GET /api/v1/users/current}), and anything else auth answers for
 * them ({@link #get}: a project and the caller's {@code currentUserRole} in it, the projects they
 * see). auth checks the credentials and limits guessing; the service keeps no credentials and no
 * cache of them, so a revoked user is refused at once.
 *
 * <p>auth's refusals are passed on as they are (401 with its challenge, 403, 429 with
 * {@code Retry-After}); when auth cannot be asked or answers nonsense the answer is 503, never a
 * pass. Plain Java, no CDI: each service makes one from its own configuration.
 */
public final class AuthClient {

    /** The challenge of a request without credentials. */
    public static final String CHALLENGE = "Basic realm=\"berth\"";
    private static final Logger LOG = Logger.getLogger(AuthClient.class);

    /** Who auth says the caller is. */
    public record Caller(String name, boolean admin, boolean robot) {}

    private final String url;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    /**
     * @param url auth's base URL (e.g. {@code http://127.0.0.1:8082})
     * @param timeout how long to wait for auth's answer (and to connect)
     */
    public AuthClient(String url, Duration timeout, ObjectMapper json) {
        this.url = url;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A project name as auth allows it; anything else is no project anyone administers. */
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    /**
     * Whether the caller of {@code request} is a projectAdmin of {@code project}, as auth's
     * {@code GET /api/v1/projects/{project}} asked with their own header says by its
     * {@code currentUserRole} (a project auth does not show them is a refusal too, so nothing is
     * learnt about projects one cannot see).
     *
     * @param notProjectAdmin the refusal (a 403) for a caller who is not, or a malformed name
     * @return null if they are; else the response to send: {@code notProjectAdmin}, auth's own
     *     refusal (401, 429), or 503 when auth cannot say
     */
    public Uni<Response> requireProjectAdmin(ContainerRequestContext request, String project,
            ApiException notProjectAdmin) {
        if (project == null || !PROJECT_NAME.matcher(project).matches()) {
            return Uni.createFrom().item(refuse(request, notProjectAdmin));
        }
        return get("/api/v1/projects/" + project, request).map(r -> {
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
            return "projectAdmin".equals(view.path("currentUserRole").asText(null)) ? null
                    : refuse(request, notProjectAdmin);
        });
    }

    /** auth's answer to {@code GET <path>} asked with the caller's header (and client address). */
    public Uni<HttpResponse<String>> get(String path, ContainerRequestContext request) {
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(timeout)
                .header(HttpHeaders.AUTHORIZATION, request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .header(HttpHeaders.ACCEPT, "application/json").GET();
        String forwarded = request.getHeaderString("X-Forwarded-For");
        if (forwarded != null) {
            ask.header("X-Forwarded-For", forwarded);
        }
        return Uni.createFrom().completionStage(http.sendAsync(ask.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Lets the request through only if auth says its caller is a system administrator, whose
     * name is then the request's {@code property}; {@code notAdmin} words the 403 for a caller
     * who is not one (given their name). The returned Uni holds the refusal, or null to pass.
     */
    public Uni<Response> requireAdmin(ContainerRequestContext request, String property, Function<String, String> notAdmin) {
        Response anonymous = withoutCredentials(request);
        if (anonymous != null) {
            return Uni.createFrom().item(anonymous);
        }
        return get("/api/v1/users/current", request).map(answer -> {
            if (answer.statusCode() != 200) {
                return refusal(request, answer);
            }
            Caller caller = caller(answer);
            if (caller == null) {
                return refuse(request, unavailable());
            }
            if (!caller.admin()) {
                return refuse(request, ApiException.forbidden(notAdmin.apply(caller.name())));
            }
            request.setProperty(property, caller.name());
            return null;
        }).onFailure().recoverWithItem(e -> unavailable(request, e));
    }

    /** The 401 of a request without credentials, or null if it has some. */
    public static Response withoutCredentials(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            return null;
        }
        return refuse(request, ApiException.unauthorized(
                "Basic credentials of a user or robot, or a Keycloak bearer token, are needed", CHALLENGE));
    }

    /** The caller auth's {@code users/current} answer names, or null if the answer is not one. */
    public Caller caller(HttpResponse<String> answer) {
        JsonNode node = read(answer.body());
        if (node == null || !node.path("username").isTextual()) {
            return null;
        }
        return new Caller(node.path("username").asText(), node.path("admin").asBoolean(false),
                node.path("robot").asBoolean(false));
    }

    /** auth's refusal passed on: 401 with its challenge, 403, 429 with Retry-After; anything else 503. */
    public Response refusal(ContainerRequestContext request, HttpResponse<String> answer) {
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

    /** The answer when auth cannot be asked, logged once (without the caller's credentials). */
    public static Response unavailable(ContainerRequestContext request, Throwable e) {
        LOG.warnf("auth could not be asked about a caller: %s", e.toString());
        return refuse(request, unavailable());
    }

    /** 503 with {@code Retry-After}: auth cannot check credentials now. */
    public static ApiException unavailable() {
        return new ApiException(ApiErrorCode.UNAVAILABLE, "auth cannot check credentials now; try again shortly", 5);
    }

    /** A JSON body of auth's, or null if it is not JSON. */
    public JsonNode read(String body) {
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

    /** {@code e} as the response of a request filter, in the body format of the request's path. */
    public static Response refuse(ContainerRequestContext request, ApiException e) {
        return WireErrors.of(e, request.getMethod(), request.getUriInfo().getPath(),
                request.getHeaderString("traceparent")).toResponse();
    }
}
