package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.security.token.Jwks;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What auth's tests share: rows in the test database, verification of the tokens auth signs, and
 * the real local Keycloak (its realm file deploy/local/keycloak/berth-realm.json, users
 * {@code developer} in group {@code berth-readers}, and {@code admin} with {@code berth-admin}).
 */
final class Fixtures {

    // BERTH_TEST_JDBC_URL lets a run use its own schema (?currentSchema=...), as MigrationsTest does.
    static final String DB = System.getenv().getOrDefault("BERTH_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/berth_test");
    static final String ADMIN_PASSWORD = Optional.ofNullable(System.getenv("BERTH_ADMIN_PASSWORD")).orElse("berth-admin");
    static final String KEYCLOAK = "http://127.0.0.1:8180";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fixtures() {}

    /** Verifies a registry token against auth's JWKS, as registry-api does. */
    static RegistryToken verify(String compact) {
        var published = Jwks.parse(given().when().get("/.well-known/jwks.json").asString());
        return new TokenVerifier(kid -> Optional.ofNullable(published.get(kid)), "berth", Duration.ofSeconds(30),
                Clock.systemUTC()).verify(compact);
    }

    /** A new project, public or private, with no members. */
    static String project(boolean open) {
        String name = (open ? "public-" : "private-") + System.nanoTime();
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("INSERT INTO projects (name, public) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setBoolean(2, open);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    static void member(String project, String kind, String name, String role) throws SQLException {
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("""
                        INSERT INTO project_members (project_id, member_kind, member_name, role)
                        SELECT id, ?, ?, ? FROM projects WHERE name = ?""")) {
            ps.setString(1, kind);
            ps.setString(2, name);
            ps.setString(3, role);
            ps.setString(4, project);
            assertEquals(1, ps.executeUpdate());
        }
    }

    static void sql(String statement) throws SQLException {
        try (var c = DriverManager.getConnection(DB, "berth", "berth"); var s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    /** Outbox rows of {@code type} keyed {@code key} whose payload contains {@code text}. */
    static long events(String type, String key, String text) throws SQLException {
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("""
                        SELECT count(*) FROM outbox WHERE event_type = ? AND event_key = ? AND strpos(payload::text, ?) > 0""")) {
            ps.setString(1, type);
            ps.setString(2, key);
            ps.setString(3, text);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Keycloak's answer to a password grant of {@code client} in realm {@code realm}; the
     * confidential client {@code berth-auth} with the local realm's secret.
     */
    static JsonNode keycloakLogin(String realm, String client, String username, String password, String scope) {
        Map<String, String> fields = new java.util.HashMap<>(Map.of("grant_type", "password", "client_id", client,
                "username", username, "password", password, "scope", scope));
        if (client.equals("berth-auth")) {
            fields.put("client_secret", "berth-auth-local-secret");
        }
        return send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))), 200);
    }

    /** A Keycloak access token of the local realm's public client {@code berth-cli}. */
    static String keycloakToken(String username, String password) {
        return keycloakLogin("berth", "berth-cli", username, password, "openid").path("access_token").asText();
    }

    /**
     * A new user of realm {@code berth}, made through Keycloak's admin API with the master
     * realm's administrator; returns their id.
     */
    static String newKeycloakUser(String username, String password) {
        String admin = "Bearer " + keycloakLogin("master", "admin-cli", "admin", ADMIN_PASSWORD, "openid")
                .path("access_token").asText();
        Map<String, Object> user = Map.of("username", username, "enabled", true, "email", username + "@berth.test",
                "emailVerified", true, "firstName", "Test", "lastName", "User",
                "credentials", new Object[] {Map.of("type", "password", "value", password, "temporary", false)});
        try {
            send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/admin/realms/berth/users")).header("Authorization", admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(user))), 201);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/admin/realms/berth/users?exact=true&username=" + username))
                .header("Authorization", admin).GET(), 200).get(0).path("id").asText();
    }

    /** Enables or disables a user of realm {@code berth}. */
    static void setKeycloakUserEnabled(String id, boolean enabled) {
        String admin = "Bearer " + keycloakLogin("master", "admin-cli", "admin", ADMIN_PASSWORD, "openid")
                .path("access_token").asText();
        send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/admin/realms/berth/users/" + id)).header("Authorization", admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\": " + enabled + "}")), 204);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException("Keycloak answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
