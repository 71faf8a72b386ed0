package io.berth.registry.security;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.WireErrors;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.CatalogRepository;
import io.berth.security.token.TokenException;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every management request ({@code /api/v1/...}): a valid registry bearer token
 * is required, verified as {@code /v2} verifies it ({@link BearerTokens}), or credentials only
 * auth can check, exchanged there for a token with the scopes the path needs
 * ({@link DelegatedCredentials}): Basic credentials, or a bearer token some other issuer signed
 * ({@link BearerTokens#signedElsewhere}), which is how the console's Keycloak access token comes
 * (docs/adr/0048-keycloak-bearers-at-registry-api.md). The scopes are pull or delete on the
 * repository named, or for a project's listing {@code registry:catalog:*} and pull on each of
 * the project's repositories (at most {@value #MAX_LISTED}). What the caller may see is decided
 * per resource from the {@link Caller} this filter sets. Missing or invalid credentials get 401
 * UNAUTHORIZED in the management error shape with a {@code WWW-Authenticate} challenge.
 * {@link TokenAuthFilter} leaves these paths alone ({@link RequiredAccess} has no rule for them),
 * so exactly one of the two filters decides each request; it never sends a bearer token to auth,
 * so {@code /v2} takes registry tokens and Basic credentials only.
 */
public class ManagementAuthFilter {

    /** The path prefix of the management API. */
    public static final String PREFIX = "/api/v1/";

    /** The most repositories of a project a delegated caller's listing asks pull for. */
    static final int MAX_LISTED = 1000;

    private static final Pattern PROJECT_PATH = Pattern.compile("^/api/v1/projects/([^/]+)/repositories(?:/(.+))?$");
    private static final Pattern ARTIFACTS = Pattern.compile("^(.+)/artifacts(?:/.*)?$");
    private static final Logger LOG = Logger.getLogger(ManagementAuthFilter.class);

    private final RegistryConfig.Auth config;
    private final BearerTokens tokens;
    private final CurrentCaller current;
    private final DelegatedCredentials delegated;
    private final CatalogRepository catalog;

    public ManagementAuthFilter(RegistryConfig config, BearerTokens tokens, CurrentCaller current,
            DelegatedCredentials delegated, CatalogRepository catalog) {
        this.config = config.auth();
        this.tokens = tokens;
        this.current = current;
        this.delegated = delegated;
        this.catalog = catalog;
    }

    /** Null lets the request through; a response ends it with that answer. */
    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        if (!config.enabled()) {
            current.set(Caller.UNRESTRICTED);
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<String> raw = BearerTokens.bearer(header);
        boolean foreignBearer = raw.isPresent() && BearerTokens.signedElsewhere(raw.get());
        if (DelegatedCredentials.isBasic(header) || foreignBearer) {
            // The callbacks run on the HTTP client's thread, outside this request's CDI context.
            CurrentCaller here = ClientProxy.unwrap(current);
            return delegated.token(header, scopes(request.getMethod(), path), request.getHeaderString("X-Forwarded-For"))
                    .map(token -> {
                        here.set(new Caller(token));
                        return (Response) null;
                    })
                    .onFailure(CredentialRefusal.class)
                    .recoverWithItem(e -> refusal((CredentialRefusal) e, foreignBearer ? "invalid_token" : null));
        }
        if (raw.isEmpty()) {
            return Uni.createFrom().item(challenge(null, "a bearer token or Basic credentials are required"));
        }
        try {
            current.set(new Caller(tokens.verify(raw.get())));
            return null;
        } catch (TokenException e) {
            LOG.debugf("management token refused (%s): %s", e.reason(), e.getMessage());
            return Uni.createFrom().item(challenge("invalid_token", "the bearer token is invalid or expired"));
        }
    }

    /** The scopes the token got for delegated credentials needs for this request. */
    private List<String> scopes(String method, String path) {
        var m = PROJECT_PATH.matcher(path);
        if (!m.matches()) {
            return List.of(); // any valid login; the resource answers 404
        }
        String project = m.group(1);
        if (m.group(2) == null) {
            List<String> scopes = new ArrayList<>(List.of("registry:catalog:*"));
            for (String repository : catalog.inProject(project, MAX_LISTED)) {
                scopes.add("repository:" + repository + ":pull");
            }
            return scopes;
        }
        var artifacts = ARTIFACTS.matcher(m.group(2));
        String repository = project + "/" + (artifacts.matches() ? artifacts.group(1) : m.group(2));
        String action = method.equals("GET") || method.equals("HEAD") ? "pull" : "delete";
        return List.of("repository:" + repository + ":" + action);
    }

    private Response refusal(CredentialRefusal e, String challengeError) {
        return switch (e.kind()) {
            case MALFORMED, INVALID -> challenge(challengeError, e.getMessage());
            case LIMITED -> error(ApiErrorCode.TOO_MANY_REQUESTS, e.getMessage(), e.retryAfterSeconds());
            case UNAVAILABLE -> error(ApiErrorCode.UNAVAILABLE, "the token service cannot be reached; try again shortly",
                    e.retryAfterSeconds());
        };
    }

    private static Response error(ApiErrorCode code, String message, long retryAfter) {
        return WireErrors.api(code, message).retryAfter(Math.max(1, retryAfter)).toResponse();
    }

    private Response challenge(String error, String message) {
        String value = "Bearer realm=\"" + config.realm() + "\",service=\"" + config.service() + '"'
                + (error == null ? "" : ",error=\"" + error + '"');
        return WireErrors.api(ApiErrorCode.UNAUTHORIZED, message).builder()
                .header(HttpHeaders.WWW_AUTHENTICATE, value)
                .build();
    }
}
