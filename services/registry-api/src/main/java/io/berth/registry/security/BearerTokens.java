package io.berth.registry.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.berth.security.token.TokenVerifier;
import io.berth.security.token.VerifiedTokenCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and verifies the {@code Authorization: Bearer} token of a request, the one way both
 * the registry ({@link TokenAuthFilter}) and the management API ({@link ManagementAuthFilter})
 * authenticate callers: an ES256 registry token for this service, checked locally against
 * {@link TokenKeys} (docs/adr/0008-registry-auth.md). A token's signature is checked the first
 * time it is seen and remembered after ({@link VerifiedTokenCache}); its time is checked on
 * every request. A bearer token another issuer signed ({@link #signedElsewhere}) is no registry
 * token: the management API has auth check it ({@link DelegatedCredentials}), {@code /v2}
 * refuses it.
 */
@ApplicationScoped
public class BearerTokens {

    /**
     * The algorithms of tokens another issuer signs, which only auth can check: an OpenID
     * provider's asymmetric signatures. ES256 is the registry token's own; {@code none} and the
     * HMAC algorithms are no one's, and are refused here without asking auth.
     */
    private static final Pattern FOREIGN_ALGORITHMS = Pattern.compile("(RS|PS|ES)(256|384|512)|EdDSA");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VerifiedTokenCache verifier;

    public BearerTokens(RegistryConfig config, TokenKeys keys) {
        RegistryConfig.Auth auth = config.auth();
        Clock clock = Clock.systemUTC();
        this.verifier = new VerifiedTokenCache(new TokenVerifier(keys::find, auth.service(), auth.clockSkew(), clock),
                auth.clockSkew(), clock, auth.verifiedTokens());
    }

    /**
     * The token of an {@code Authorization} header value; empty if the header is missing or
     * is not a bearer credential (Basic, for example).
     */
    public static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }

    /**
     * The verified claims of {@code token}.
     *
     * @throws TokenException if the token is malformed, not ES256, signed by an unknown key,
     *     for another audience, or not valid now
     */
    public RegistryToken verify(String token) throws TokenException {
        return verifier.verify(token);
    }

    /**
     * Whether a bearer token is, by its own unverified header, signed by someone other than
     * auth's token service: a JWT signed with an asymmetric algorithm other than ES256, the one
     * registry tokens use (a Keycloak access token is RS256). Only a route: such a token is sent
     * to auth, which verifies it or refuses it; any other is verified here, as before. Nothing
     * else is read from the token before it was verified.
     */
    public static boolean signedElsewhere(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 2048) {
            return false;
        }
        JsonNode header = decode(token.substring(0, dot));
        return header != null && header.path("alg").isTextual()
                && FOREIGN_ALGORITHMS.matcher(header.path("alg").asText()).matches()
                && !"ES256".equals(header.path("alg").asText());
    }

    /**
     * The {@code exp} of a JWT's claims; empty if it has none or is no JWT. Unverified: read only
     * of a token auth has just verified.
     */
    static Optional<Instant> expiry(String token) {
        String[] parts = token.split("\\.", -1);
        JsonNode claims = parts.length == 3 ? decode(parts[1]) : null;
        return claims != null && claims.path("exp").canConvertToLong()
                ? Optional.of(Instant.ofEpochSecond(claims.path("exp").asLong())) : Optional.empty();
    }

    private static JsonNode decode(String part) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
