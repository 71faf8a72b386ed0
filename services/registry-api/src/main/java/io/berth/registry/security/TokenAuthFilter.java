package io.berth.registry.security;

import io.berth.oci.RegistryErrorCode;
import io.berth.registry.api.ErrorResponse;
import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every registry request carries a bearer token that grants what the request needs (see
 * {@link RequiredAccess}); otherwise the answer is 401 UNAUTHORIZED with a
 * {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...} challenge telling the client
 * where to get one. Tokens are verified locally: no call to auth per request.
 */
public class TokenAuthFilter {

    /** The request property holding the verified token, for the actor of audit events. */
    public static final String TOKEN_PROPERTY = "berth.token";

    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class);

    private final RegistryConfig.Auth config;
    private final BearerTokens tokens;
    private final RequestOrigin origin;

    public TokenAuthFilter(RegistryConfig config, BearerTokens tokens, RequestOrigin origin) {
        this.config = config.auth();
        this.tokens = tokens;
        this.origin = origin;
    }

    /** Null lets the request through; a response ends it with that answer. */
    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, HttpServerRequest http) {
        Response answer = check(request);
        if (answer == null) {
            origin.record((RegistryToken) request.getProperty(TOKEN_PROPERTY), request.getHeaderString("X-Forwarded-For"), http);
        }
        return answer;
    }

    private Response check(ContainerRequestContext request) {
        if (!config.enabled()) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        String from = request.getUriInfo().getQueryParameters().getFirst("from");
        List<RequiredAccess> required = RequiredAccess.of(request.getMethod(), path, from);
        if (required.isEmpty()) {
            return null;
        }
        String realm = realm(request);
        var raw = BearerTokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (raw.isEmpty()) {
            return challenge(realm, required.get(0), null);
        }
        RegistryToken token;
        try {
            token = tokens.verify(raw.get());
        } catch (TokenException e) {
            LOG.debugf("token refused (%s): %s", e.reason(), e.getMessage());
            return challenge(realm, required.get(0), "invalid_token");
        }
        for (RequiredAccess need : required) {
            if (need != RequiredAccess.ANY && !token.allows(need.type(), need.name(), need.action())) {
                return challenge(realm, need, "insufficient_scope");
            }
        }
        request.setProperty(TOKEN_PROPERTY, token);
        return null;
    }

    /**
     * The token endpoint as this client reaches it. Behind a proxy that says how it was reached
     * ({@code Forwarded}, or {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}), the
     * configured realm's scheme and host give way to those, so a client outside is never sent to
     * an address only the proxy knows (the 401s Harbor users meet behind ingresses). Only the
     * challenge uses it; a client that forges the headers misleads only itself.
     */
    private String realm(ContainerRequestContext request) {
        String proto = null;
        String host = null;
        String forwarded = request.getHeaderString("Forwarded");
        if (forwarded != null) {
            // The first element is the proxy nearest the client: proto=https;host=registry.example.com
            for (String pair : forwarded.split(",")[0].split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2) {
                    String value = kv[1].trim().replace("\"", "");
                    if (kv[0].trim().equalsIgnoreCase("proto")) {
                        proto = value;
                    } else if (kv[0].trim().equalsIgnoreCase("host")) {
                        host = value;
                    }
                }
            }
        }
        if (proto == null) {
            proto = first(request.getHeaderString("X-Forwarded-Proto"));
        }
        if (host == null) {
            host = first(request.getHeaderString("X-Forwarded-Host"));
        }
        if (proto == null && host == null) {
            return config.realm();
        }
        URI configured = URI.create(config.realm());
        boolean validProto = proto != null && (proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"));
        boolean validHost = host != null && host.matches("[A-Za-z0-9.:\\[\\]-]+");
        String scheme = validProto ? proto.toLowerCase(java.util.Locale.ROOT) : configured.getScheme();
        String authority = validHost ? host : configured.getRawAuthority();
        return scheme + "://" + authority + (configured.getRawPath() == null ? "" : configured.getRawPath());
    }

    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.split(",")[0].trim();
    }

    private Response challenge(String realm, RequiredAccess need, String error) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(realm)
                .append("\",service=\"").append(config.service()).append('"');
        if (need != RequiredAccess.ANY) {
            value.append(",scope=\"").append(need.challengeScope()).append('"');
        }
        if (error != null) {
            value.append(",error=\"").append(error).append('"');
        }
        Object detail = need == RequiredAccess.ANY ? null
                : List.of(Map.of("Type", need.type(), "Name", need.name(), "Action", need.action()));
        return Response.status(RegistryErrorCode.UNAUTHORIZED.status())
                .header(HttpHeaders.WWW_AUTHENTICATE, value.toString())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(RegistryErrorCode.UNAUTHORIZED, detail))
                .build();
    }
}
