package io.berth.auth.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keycloak access tokens as bearer credentials of the management API, as the console and scripts
 * send them. A token is accepted when:
 * <ul>
 *   <li>it is RS256, signed by a key of the realm's JWKS (fetched, cached, and fetched again
 *       when a token names a key it does not hold, at most every {@link #REFETCH_EVERY});
 *   <li>{@code iss} is the realm ({@code berth.auth.keycloak.issuer}), {@code typ} is
 *       {@code Bearer} (not an ID or refresh token), and {@code azp} is one of
 *       {@code berth.auth.keycloak.api-clients};
 *   <li>{@code exp} and {@code nbf} hold, with {@link #SKEW} for clocks.
 * </ul>
 * Who the caller is comes from the claims, as for a password check: {@code preferred_username},
 * the realm role {@code berth-admin} and {@code groups}.
 */
@ApplicationScoped
public class KeycloakBearer {

    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration REFETCH_EVERY = Duration.ofSeconds(10);

    private final ObjectMapper json;
    private final HttpClient http;
    private final URI jwksUri;
    private final String issuer;
    private final Set<String> clients;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;

    public KeycloakBearer(AuthConfig config, ObjectMapper json) {
        var keycloak = config.keycloak();
        String realmUrl = keycloak.url().replaceAll("/+$", "") + "/realms/" + keycloak.realm();
        this.json = json;
        this.timeout = keycloak.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.jwksUri = URI.create(realmUrl + "/protocol/openid-connect/certs");
        this.issuer = keycloak.issuer().orElse(realmUrl);
        this.clients = Set.copyOf(keycloak.apiClients());
    }

    /**
     * The person a Keycloak access token belongs to, or empty if it is not one berth accepts
     * (forged, altered, expired, another realm's, another client's, not an access token).
     *
     * @throws KeycloakUsers.KeycloakUnavailableException if the realm's keys cannot be fetched
     */
    public Optional<Caller> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        JsonNode header = decode(parts[0]);
        if (header == null || !"RS256".equals(header.path("alg").asText())) {
            return Optional.empty();
        }
        Optional<PublicKey> key = key(header.path("kid").asText(""));
        if (key.isEmpty() || !signatureValid(key.get(), parts)) {
            return Optional.empty();
        }
        JsonNode claims = decode(parts[1]);
        if (claims == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        JsonNode exp = claims.get("exp");
        JsonNode nbf = claims.get("nbf");
        boolean valid = exp != null && exp.canConvertToLong()
                && now.isBefore(Instant.ofEpochSecond(exp.asLong()).plus(SKEW))
                && (nbf == null || !nbf.canConvertToLong() || !now.plus(SKEW).isBefore(Instant.ofEpochSecond(nbf.asLong())))
                && issuer.equals(claims.path("iss").asText())
                && "Bearer".equals(claims.path("typ").asText())
                && clients.contains(claims.path("azp").asText())
                && !claims.path("preferred_username").asText("").isEmpty();
        return valid ? Optional.of(KeycloakUsers.callerOf(claims, "")) : Optional.empty();
    }

    private Optional<PublicKey> key(String kid) {
        PublicKey k = keys.get(kid);
        if (k == null && clock.instant().isAfter(fetchedAt.plus(REFETCH_EVERY))) {
            synchronized (this) {
                if (!keys.containsKey(kid) && clock.instant().isAfter(fetchedAt.plus(REFETCH_EVERY))) {
                    keys = fetch();
                    fetchedAt = clock.instant();
                }
            }
            k = keys.get(kid);
        }
        return Optional.ofNullable(k);
    }

    private Map<String, PublicKey> fetch() {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(jwksUri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakUsers.KeycloakUnavailableException("Keycloak's JWKS at " + jwksUri + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUsers.KeycloakUnavailableException("interrupted while fetching Keycloak's JWKS", e);
        }
        if (answer.statusCode() != 200) {
            throw new KeycloakUsers.KeycloakUnavailableException("Keycloak's JWKS answered " + answer.statusCode(), null);
        }
        Map<String, PublicKey> out = new HashMap<>();
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            for (JsonNode jwk : json.readTree(answer.body()).path("keys")) {
                if ("RSA".equals(jwk.path("kty").asText()) && !"enc".equals(jwk.path("use").asText())) {
                    var spec = new RSAPublicKeySpec(unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText()));
                    out.put(jwk.path("kid").asText(), rsa.generatePublic(spec));
                }
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new KeycloakUsers.KeycloakUnavailableException("Keycloak's JWKS cannot be read", e);
        }
        return Map.copyOf(out);
    }

    private static BigInteger unsigned(String base64url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
    }

    private static boolean signatureValid(PublicKey key, String[] parts) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private JsonNode decode(String part) {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(part));
            return node != null && node.isObject() ? node : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
