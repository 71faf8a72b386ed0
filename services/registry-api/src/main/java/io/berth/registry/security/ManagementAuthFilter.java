package io.berth.registry.security;

import io.berth.registry.api.ManagementException;
import io.berth.registry.api.ManagementExceptionMapper;
import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.TokenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every management request ({@code /api/v1/...}): a valid registry bearer token
 * is required, verified as {@code /v2} verifies it ({@link BearerTokens}); what it may see is
 * decided per resource from the {@link Caller} this filter sets. Missing or invalid tokens get
 * 401 UNAUTHORIZED in the management error shape with a {@code WWW-Authenticate} challenge.
 * {@link TokenAuthFilter} leaves these paths alone ({@link RequiredAccess} has no rule for
 * them), so exactly one of the two filters decides each request.
 */
public class ManagementAuthFilter {

    /** The path prefix of the management API. */
    public static final String PREFIX = "/api/v1/";

    private static final Logger LOG = Logger.getLogger(ManagementAuthFilter.class);

    private final RegistryConfig.Auth config;
    private final BearerTokens tokens;
    private final CurrentCaller current;

    public ManagementAuthFilter(RegistryConfig config, BearerTokens tokens, CurrentCaller current) {
        this.config = config.auth();
        this.tokens = tokens;
        this.current = current;
    }

    /** Null lets the request through; a response ends it with that answer. */
    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(PREFIX)) {
            return null;
        }
        if (!config.enabled()) {
            current.set(Caller.UNRESTRICTED);
            return null;
        }
        Optional<String> raw = BearerTokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (raw.isEmpty()) {
            return challenge(null, "a bearer token is required");
        }
        try {
            current.set(new Caller(tokens.verify(raw.get())));
            return null;
        } catch (TokenException e) {
            LOG.debugf("management token refused (%s): %s", e.reason(), e.getMessage());
            return challenge("invalid_token", "the bearer token is invalid or expired");
        }
    }

    private Response challenge(String error, String message) {
        String value = "Bearer realm=\"" + config.realm() + "\",service=\"" + config.service() + '"'
                + (error == null ? "" : ",error=\"" + error + '"');
        return ManagementExceptionMapper.response(ManagementException.Code.UNAUTHORIZED, message)
                .header(HttpHeaders.WWW_AUTHENTICATE, value)
                .build();
    }
}
