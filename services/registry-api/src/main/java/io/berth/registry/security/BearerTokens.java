package io.berth.registry.security;

import io.berth.registry.config.RegistryConfig;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.berth.security.token.TokenVerifier;
import io.berth.security.token.VerifiedTokenCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Reads and verifies the {@code Authorization: Bearer} token of a request, the one way both
 * the registry ({@link TokenAuthFilter}) and the management API ({@link ManagementAuthFilter})
 * authenticate callers: an ES256 registry token for this service, checked locally against
 * {@link TokenKeys} (docs/adr/0008-registry-auth.md). A token's signature is checked the first
 * time it is seen and remembered after ({@link VerifiedTokenCache}); its time is checked on
 * every request.
 */
@ApplicationScoped
public class BearerTokens {

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
}
