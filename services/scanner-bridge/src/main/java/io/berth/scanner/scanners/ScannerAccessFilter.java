package io.berth.scanner.scanners;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may use the scanner registry: {@code /api/v1/scanners...} only system administrators;
 * {@code /api/v1/projects/{p}/scanner} also the project's projectAdmins. The same rules and the
 * same questions to auth as gc's AdminFilter (and scanner-bridge's, which guards
 * {@code /api/v1/system}): the caller's {@code Authorization} goes to auth's
 * {@code GET /api/v1/users/current}; for a caller who is not an administrator on a project path,
 * auth's {@code GET /api/v1/projects/{p}} must say {@code currentUserRole: projectAdmin} (a
 * project auth does not show is a 403 too). Nothing is cached; auth's refusals are passed on
 * (401 with its challenge, 429 with Retry-After); when auth cannot be asked the answer is 503.
 */
public class ScannerAccessFilter {

    private static final Logger LOG = Logger.getLogger(ScannerAccessFilter.class);
    private static final String CHALLENGE = "Basic realm=\"berth\"";
    private static final Pattern SCANNERS = Pattern.compile("/api/v1/scanners(/.*)?");
    private static final Pattern PROJECT_PATH = Pattern.compile("/api/v1/projects/([^/]+)/scanner/?");
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private final AdminAuthConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public ScannerAccessFilter(AdminAuthConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = normalize(request.getUriInfo().getPath());
        Matcher project = PROJECT_PATH.matcher(path);
        boolean projectPath = project.matches();
        if (!projectPath && !SCANNERS.matcher(path).matches()) {
            return null;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Uni.createFrom().item(refuse(request, ApiException.unauthorized(
                    "Basic credentials of a user or robot, or a Keycloak bearer token, are needed", CHALLENGE)));
        }
        String forwarded = request.getHeaderString("X-Forwarded-For");
        return ask("/api/v1/users/current", authorization, forwarded)
                .flatMap(r -> decide(request, r, projectPath ? project.group(1) : null, authorization, forwarded))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("auth could not be asked about a caller: %s", e.toString());
                    return refuse(request, unavailable());
                });
    }

    /** The path with dot segments resolved, so that {@code /api/v1/projects/p/../../scanners} is judged as what it reaches. */
    static String normalize(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        try {
            return new URI(null, null, path, null).normalize().getPath();
        } catch (java.net.URISyntaxException e) {
            return path;
        }
    }

    private Uni<HttpResponse<String>> ask(String path, String authorization, String forwarded) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.url() + path)).timeout(config.timeout())
                .header(HttpHeaders.AUTHORIZATION, authorization).header(HttpHeaders.ACCEPT, "application/json").GET();
        if (forwarded != null) {
            b.header("X-Forwarded-For", forwarded);
        }
        return Uni.createFrom().completionStage(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private Uni<Response> decide(ContainerRequestContext request, HttpResponse<String> answer, String project,
            String authorization, String forwarded) {
        if (answer.statusCode() != 200) {
            return Uni.createFrom().item(refusal(request, answer));
        }
        JsonNode caller = read(answer.body());
        if (caller == null || !caller.path("username").isTextual()) {
            return Uni.createFrom().item(refuse(request, unavailable()));
        }
        String name = caller.path("username").asText();
        if (caller.path("admin").asBoolean(false)) {
            return Uni.createFrom().nullItem();
        }
        if (project == null) {
            return Uni.createFrom().item(refuse(request, ApiException.forbidden(
                    "only system administrators may manage scanners; " + name + " is not one")));
        }
        ApiException notProjectAdmin = ApiException.forbidden("the scanner of project " + project
                + " is chosen by its projectAdmins and system administrators; " + name + " is neither");
        if (!PROJECT_NAME.matcher(project).matches()) {
            return Uni.createFrom().item(refuse(request, notProjectAdmin));
        }
        return ask("/api/v1/projects/" + project, authorization, forwarded).map(r -> {
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
