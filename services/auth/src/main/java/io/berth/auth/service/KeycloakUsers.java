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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * People, as Keycloak knows them, through the confidential client
 * {@code berth.auth.keycloak.client-id}:
 * <ul>
 *   <li>{@link #check} tests a password with the client's direct grant and reads who answered
 *       from the access token Keycloak returns ({@code preferred_username}, the realm role
 *       {@code berth-admin}, {@code groups}). That token comes straight from Keycloak over
 *       auth's own connection, so its signature is not checked again; it is read once and
 *       dropped, never stored or logged.
 *   <li>{@link #lookup} reads a user without their password, through the admin API with the
 *       client's service account (realm-management role {@code view-users}): for a CLI secret or
 *       a refresh token, where auth has checked the credential itself but Keycloak still decides
 *       whether the user exists, is enabled, and which roles and groups they have now.
 * </ul>
 */
@ApplicationScoped
public class KeycloakUsers {

    /** The realm role that makes a user a system administrator. */
    static final String ADMIN_ROLE = "berth-admin";

    /** A service-account token is renewed this long before Keycloak says it expires. */
    private static final Duration RENEW_EARLY = Duration.ofSeconds(30);

    /** Keycloak could not be asked (down, timed out, answered an unexpected status). */
    public static final class KeycloakUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeycloakUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record ServiceToken(String value, Instant renewAt) {}

    private final AuthConfig.Keycloak config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String adminBase;
    private final Clock clock = Clock.systemUTC();
    private volatile ServiceToken serviceToken;

    public KeycloakUsers(AuthConfig config, ObjectMapper json) {
        this.config = config.keycloak();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        String base = this.config.url().replaceAll("/+$", "");
        this.tokenEndpoint = URI.create(base + "/realms/" + this.config.realm() + "/protocol/openid-connect/token");
        this.adminBase = base + "/admin/realms/" + this.config.realm();
    }

    /**
     * The caller these credentials belong to, or empty if Keycloak refuses them (unknown user,
     * wrong password, disabled or locked account).
     *
     * @throws KeycloakUnavailableException if Keycloak cannot be asked
     */
    public Optional<Caller> check(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        HttpResponse<String> answer = tokenRequest(form);
        if (answer.statusCode() == 401 || answer.statusCode() == 400) {
            // invalid_grant (wrong password, unknown, disabled or not fully set up account).
            return Optional.empty();
        }
        if (answer.statusCode() != 200) {
            throw new KeycloakUnavailableException("Keycloak answered " + answer.statusCode() + " to a password check", null);
        }
        try {
            JsonNode claims = claims(json.readTree(answer.body()).path("access_token").asText());
            return Optional.of(callerOf(claims, username));
        } catch (IOException | IllegalArgumentException e) {
            throw new KeycloakUnavailableException("Keycloak's answer to a password check is not a token", e);
        }
    }

    /**
     * The user called {@code username} as Keycloak has them now: empty if there is no such user
     * or they are disabled.
     *
     * @throws KeycloakUnavailableException if Keycloak cannot be asked, or refuses the service
     *     account (it lacks {@code view-users})
     */
    public Optional<Caller> lookup(String username) {
        JsonNode found = admin("/users?exact=true&briefRepresentation=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8));
        JsonNode user = null;
        for (JsonNode u : found) {
            if (u.path("username").asText().equalsIgnoreCase(username)) {
                user = u;
            }
        }
        if (user == null || !user.path("enabled").asBoolean(false)) {
            return Optional.empty();
        }
        String id = URLEncoder.encode(user.path("id").asText(), StandardCharsets.UTF_8);
        boolean admin = false;
        for (JsonNode role : admin("/users/" + id + "/role-mappings/realm/composite")) {
            admin |= ADMIN_ROLE.equals(role.path("name").asText());
        }
        Set<String> groups = new HashSet<>();
        for (JsonNode group : admin("/users/" + id + "/groups?briefRepresentation=true")) {
            groups.add(group.path("name").asText());
        }
        return Optional.of(Caller.person(user.path("username").asText(), admin, groups));
    }

    /**
     * Admin events recorded at or after {@code fromMillis} (Keycloak's clock), oldest first, at
     * most {@code max}: how auth learns that a user was disabled, deleted or changed
     * (service/KeycloakEventWatcher).
     *
     * @throws KeycloakUnavailableException if Keycloak cannot be asked, or the service account
     *     lacks realm-management {@code view-events}
     */
    public JsonNode adminEvents(long fromMillis, int max) {
        return admin("/admin-events?direction=asc&first=0&max=" + max + "&dateFrom=" + fromMillis);
    }

    /**
     * Whether the realm records admin events; without them a disabled user would go unnoticed.
     *
     * @throws KeycloakUnavailableException as {@link #adminEvents}
     */
    public boolean adminEventsEnabled() {
        return admin("/events/config").path("adminEventsEnabled").asBoolean(false);
    }

    /**
     * The username of the user with Keycloak id {@code id}; empty if there is none (deleted).
     *
     * @throws KeycloakUnavailableException if Keycloak cannot be asked
     */
    public Optional<String> usernameOf(String id) {
        JsonNode user = adminOrMissing("/users/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        return user == null ? Optional.empty() : Optional.of(user.path("username").asText());
    }

    /** A person from the claims of a Keycloak access token. */
    static Caller callerOf(JsonNode claims, String fallbackName) {
        Set<String> roles = new HashSet<>();
        claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
        Set<String> groups = new HashSet<>();
        claims.path("groups").forEach(g -> groups.add(g.asText().replaceFirst("^/", "")));
        String name = claims.path("preferred_username").asText(fallbackName);
        return Caller.person(name, roles.contains(ADMIN_ROLE), groups);
    }

    private JsonNode admin(String path) {
        JsonNode found = adminOrMissing(path);
        if (found == null) {
            throw new KeycloakUnavailableException("Keycloak's admin API has no " + path, null);
        }
        return found;
    }

    /** The admin API's answer, or null for a 404. */
    private JsonNode adminOrMissing(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(adminBase + path))
                .header("Authorization", "Bearer " + serviceToken().value()).GET());
        if (answer.statusCode() == 401) {
            // Revoked or expired early (Keycloak restarted): once more with a new token.
            serviceToken = null;
            answer = send(HttpRequest.newBuilder(URI.create(adminBase + path))
                    .header("Authorization", "Bearer " + serviceToken().value()).GET());
        }
        if (answer.statusCode() == 404) {
            return null;
        }
        if (answer.statusCode() != 200) {
            throw new KeycloakUnavailableException("Keycloak's admin API answered " + answer.statusCode()
                    + " to " + path.replaceAll("\\?.*", "") + " (the service account of client " + config.clientId()
                    + " needs realm-management view-users and view-events)", null);
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new KeycloakUnavailableException("Keycloak's admin API answered something that is not JSON", e);
        }
    }

    private ServiceToken serviceToken() {
        ServiceToken t = serviceToken;
        if (t != null && clock.instant().isBefore(t.renewAt())) {
            return t;
        }
        HttpResponse<String> answer = tokenRequest(Map.of("grant_type", "client_credentials"));
        if (answer.statusCode() != 200) {
            throw new KeycloakUnavailableException("Keycloak refused the service account of client " + config.clientId()
                    + " (" + answer.statusCode() + "); it needs serviceAccountsEnabled", null);
        }
        try {
            JsonNode body = json.readTree(answer.body());
            long lifetime = Math.max(0, body.path("expires_in").asLong(60) - RENEW_EARLY.toSeconds());
            t = new ServiceToken(body.path("access_token").asText(), clock.instant().plusSeconds(lifetime));
        } catch (IOException e) {
            throw new KeycloakUnavailableException("Keycloak's answer to the service account is not JSON", e);
        }
        serviceToken = t;
        return t;
    }

    private HttpResponse<String> tokenRequest(Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret());
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(tokenEndpoint).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(config.timeout()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakUnavailableException("Keycloak at " + config.url() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("interrupted while asking Keycloak", e);
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
