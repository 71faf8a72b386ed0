package io.berth.registry.security;

import io.berth.errors.WireErrors;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every registry request carries a bearer token that grants what the request needs (see
 * {@link RequiredAccess}), or Basic credentials for which auth grants such a token
 * ({@link DelegatedCredentials}); otherwise the answer is 401 UNAUTHORIZED with a
 * {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...} challenge telling the client
 * where to get one. Bearer tokens are verified locally: no call to auth per request. With
 * Basic, auth unreachable is 503 UNAVAILABLE and too many failed logins 429, both with
 * {@code Retry-After}.
 */
public class TokenAuthFilter {

    /** The request property holding the verified token, for the actor of audit events. */
    public static final String TOKEN_PROPERTY = "berth.token";

    private static final Logger LOG = Logger.getLogger(TokenAuthFilter.class);

    private final RegistryConfig.Auth config;
    private final BearerTokens tokens;
    private final RequestOrigin origin;
    private final DelegatedCredentials basic;

    public TokenAuthFilter(RegistryConfig config, BearerTokens tokens, RequestOrigin origin, DelegatedCredentials basic) {
        this.config = config.auth();
        this.tokens = tokens;
        this.origin = origin;
        this.basic = basic;
    }

    /**
     * Null lets the request through; a response ends it with that answer. Bearer tokens are
     * decided here and now; Basic credentials only after auth answered ({@link DelegatedCredentials}),
     * without a thread waiting for it.
     */
    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String forwardedFor = request.getHeaderString("X-Forwarded-For");
        List<RequiredAccess> required = config.enabled()
                ? RequiredAccess.of(request.getMethod(), request.getUriInfo().getPath(),
                        request.getUriInfo().getQueryParameters().getFirst("from"))
                : List.of();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (required.isEmpty() || !DelegatedCredentials.isBasic(header)) {
            Response answer = required.isEmpty() ? null : check(request, required, header);
            if (answer == null) {
                origin.record((RegistryToken) request.getProperty(TOKEN_PROPERTY), forwardedFor, http);
                return null;
            }
            return Uni.createFrom().item(answer);
        }
        // The callbacks run on the HTTP client's thread, outside this request's CDI context.
        RequestOrigin here = ClientProxy.unwrap(origin);
        String realm = realm(request);
        List<String> scopes = required.stream().filter(n -> n != RequiredAccess.ANY)
                .map(n -> n.type() + ":" + n.name() + ":" + n.action()).toList();
        return basic.token(header, scopes, clientChain(forwardedFor, http))
                .map(token -> {
                    Response refused = grant(request, required, token, realm);
                    if (refused == null) {
                        here.record(token, forwardedFor, http);
                    }
                    return refused;
                })
                .onFailure(CredentialRefusal.class).recoverWithItem(e -> refusal((CredentialRefusal) e, realm, required));
    }

    private Response check(ContainerRequestContext request, List<RequiredAccess> required, String header) {
        String realm = realm(request);
        var raw = BearerTokens.bearer(header);
        if (raw.isEmpty()) {
            return challenge(realm, required, required.get(0), null, null);
        }
        RegistryToken token;
        try {
            token = tokens.verify(raw.get());
        } catch (TokenException e) {
            LOG.debugf("token refused (%s): %s", e.reason(), e.getMessage());
            return challenge(realm, required, required.get(0), "invalid_token", null);
        }
        return grant(request, required, token, realm);
    }

    /** Null if the token grants everything the request needs (and then it is noted on the request). */
    private Response grant(ContainerRequestContext request, List<RequiredAccess> required, RegistryToken token,
            String realm) {
        for (RequiredAccess need : required) {
            if (need != RequiredAccess.ANY && !token.allows(need.type(), need.name(), need.action())) {
                return challenge(realm, required, need, "insufficient_scope", null);
            }
        }
        request.setProperty(TOKEN_PROPERTY, token);
        return null;
    }

    private Response refusal(CredentialRefusal e, String realm, List<RequiredAccess> required) {
        LOG.debugf("Basic credentials refused (%s): %s", e.kind(), e.getMessage());
        return switch (e.kind()) {
            case MALFORMED, INVALID -> challenge(realm, required, required.get(0), null, e.getMessage());
            case LIMITED -> error(RegistryErrorCode.TOOMANYREQUESTS.status(), RegistryErrorCode.TOOMANYREQUESTS,
                    e.getMessage(), e.retryAfterSeconds());
            // distribution's UNAVAILABLE: auth is down, not the client's fault and not a 500.
            case UNAVAILABLE -> error(RegistryErrorCode.UNAVAILABLE.status(), RegistryErrorCode.UNAVAILABLE,
                    "the token service cannot be reached; try again shortly",
                    e.retryAfterSeconds());
        };
    }

    private static Response error(int status, RegistryErrorCode code, String message, long retryAfter) {
        return WireErrors.oci(status, code, message, null).retryAfter(Math.max(1, retryAfter)).toResponse();
    }

    /** The address chain auth should see: the client's {@code X-Forwarded-For} plus its peer. */
    static String clientChain(String forwardedFor, HttpServerRequest http) {
        String peer = http != null && http.remoteAddress() != null ? http.remoteAddress().hostAddress() : null;
        if (peer == null) {
            return forwardedFor;
        }
        return forwardedFor == null || forwardedFor.isBlank() ? peer : forwardedFor + ", " + peer;
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

    /**
     * A 401 whose challenge asks for everything the request needs, space-separated as
     * distribution does, so that a client fetches one token for both sides of a cross-repository
     * mount; the body's detail names {@code need}, the access that was missing.
     */
    private Response challenge(String realm, List<RequiredAccess> required, RequiredAccess need, String error,
            String reason) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(realm)
                .append("\",service=\"").append(config.service()).append('"');
        String scopes = String.join(" ", required.stream().filter(r -> r != RequiredAccess.ANY)
                .map(RequiredAccess::challengeScope).toList());
        if (!scopes.isEmpty()) {
            value.append(",scope=\"").append(scopes).append('"');
        }
        if (error != null) {
            value.append(",error=\"").append(error).append('"');
        }
        Object detail = need == RequiredAccess.ANY ? null
                : List.of(Map.of("Type", need.type(), "Name", need.name(), "Action", need.action()));
        if (reason != null) {
            detail = Map.of("reason", reason);
        }
        return WireErrors.oci(RegistryErrorCode.UNAUTHORIZED, detail).builder()
                .header(HttpHeaders.WWW_AUTHENTICATE, value.toString())
                .build();
    }
}
