package io.berth.auth.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a person's password against Keycloak with the direct grant of the confidential client
 * {@code berth.auth.keycloak.client-id}, and reads who they are from the access token Keycloak
 * answers with: {@code preferred_username}, the realm role {@code berth-admin}, and
 * {@code groups}. The token comes straight from Keycloak over auth's own connection, so its
 * signature is not checked again; it is read once and dropped, never stored or logged.
 */
@ApplicationScoped
public class KeycloakPasswords {

    /** The realm role that makes a user a system administrator. */
    static final String ADMIN_ROLE = "berth-admin";

    /** Keycloak could not be asked (down, timed out, answered an unexpected status). */
    public static final class KeycloakUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeycloakUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final AuthConfig.Keycloak config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final URI tokenEndpoint;

    public KeycloakPasswords(AuthConfig config, ObjectMapper json) {
        this.config = config.keycloak();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        String base = this.config.url().replaceAll("/+$", "");
        this.tokenEndpoint = URI.create(base + "/realms/" + this.config.realm() + "/protocol/openid-connect/token");
    }

    /**
     * The caller these credentials belong to, or empty if Keycloak refuses them (unknown user,
     * wrong password, disabled or locked account).
     *
     * @throws KeycloakUnavailableException if Keycloak cannot be asked
     */
    public Optional<Caller> check(String username, String password) {
        String form = Map.of("grant_type", "password", "client_id", config.clientId(),
                        "client_secret", config.clientSecret(), "username", username, "password", password,
                        "scope", "openid")
                .entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakUnavailableException("Keycloak at " + tokenEndpoint + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("interrupted while asking Keycloak", e);
        }
        if (answer.statusCode() == 401 || answer.statusCode() == 400) {
            // invalid_grant (wrong password, unknown, disabled or not fully set up account).
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw new KeycloakUnavailableException("Keycloak answered " + answer.statusCode() + " to a password check", null);
        }
        try {
            JsonNode claims = claims(json.readTree(answer.body()).path("access_token").asText());
            Set<String> roles = new HashSet<>();
            claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
            Set<String> groups = new HashSet<>();
            claims.path("groups").forEach(g -> groups.add(g.asText().replaceFirst("^/", "")));
            String name = claims.path("preferred_username").asText(username);
            return Optional.of(Caller.person(name, roles.contains(ADMIN_ROLE), groups));
        } catch (IOException | IllegalArgumentException e) {
            throw new KeycloakUnavailableException("Keycloak's answer to a password check is not a token", e);
        }
    }

    private JsonNode claims(String jwt) throws IOException {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a JWT");
        }
        return json.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }
}
