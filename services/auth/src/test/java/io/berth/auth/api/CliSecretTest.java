package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.events;
import static io.berth.auth.api.Fixtures.member;
import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.service.RobotService;
import io.berth.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * CLI secrets against the real Keycloak: made with a password or a console token, used in place
 * of the password at the token service, rotated and revoked, and refused once Keycloak disables
 * their user.
 */
@QuarkusTest
class CliSecretTest {

    @Inject
    RobotService robots;

    @Test
    void aCliSecretLogsInAsItsUserWithTheirRolesAndGroups() throws SQLException {
        String user = "cli-" + System.nanoTime();
        Fixtures.newKeycloakUser(user, "first-password");
        String mine = project(false);
        String readers = project(false);
        member(mine, "user", user, "developer");
        member(readers, "group", "berth-readers", "guest");

        String secret = given().auth().preemptive().basic(user, "first-password")
                .when().post("/api/v1/users/current/cli-secret")
                .then().statusCode(201).header("Cache-Control", "no-store").body("username", equalTo(user))
                .extract().path("secret");
        assertTrue(secret.startsWith("berthcli_"), secret);

        var token = verify(given().auth().preemptive().basic(user, secret)
                .queryParam("scope", "repository:" + mine + "/app:pull,push")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(user, token.subject());
        assertEquals(List.of(new Scope("repository", mine + "/app", Set.of("pull", "push"))), token.access());
        // The user name is matched as Keycloak matches it, ignoring case.
        given().auth().preemptive().basic(user.toUpperCase(), secret).when().get("/service/token").then().statusCode(200);

        given().auth().preemptive().basic(user, secret).when().get("/api/v1/users/current/cli-secret")
                .then().statusCode(200).body("createdAt", notNullValue()).body("lastUsedAt", notNullValue());

        // Groups come from Keycloak at each use: developer is in berth-readers.
        String devSecret = given().auth().preemptive().basic("developer", "berth-dev")
                .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
        var devToken = verify(given().auth().preemptive().basic("developer", devSecret)
                .queryParam("scope", "repository:" + readers + "/app:pull,push")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(List.of(new Scope("repository", readers + "/app", Set.of("pull"))), devToken.access());
        // The password still works beside the secret.
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/service/token").then().statusCode(200);
    }

    @Test
    void rotatingReplacesTheSecretAndRevokingEndsIt() throws SQLException {
        String user = "rotate-" + System.nanoTime();
        Fixtures.newKeycloakUser(user, "a-password");
        var asUser = given().auth().preemptive().basic(user, "a-password");
        String first = asUser.when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
        String second = given().auth().preemptive().basic(user, "a-password")
                .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");

        given().auth().preemptive().basic(user, first).when().get("/service/token").then().statusCode(401);
        String refresh = given().auth().preemptive().basic(user, second).queryParam("offline_token", "true")
                .when().get("/service/token").then().statusCode(200).extract().path("refresh_token");

        given().auth().preemptive().basic(user, second).when().delete("/api/v1/users/current/cli-secret")
                .then().statusCode(204);
        given().auth().preemptive().basic(user, second).when().get("/service/token").then().statusCode(401);
        given().auth().preemptive().basic(user, "a-password").when().delete("/api/v1/users/current/cli-secret")
                .then().statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"));
        // Revoking the secret revoked the refresh token got with it.
        given().formParam("grant_type", "refresh_token").formParam("refresh_token", refresh)
                .when().post("/service/token").then().statusCode(400).body("error", equalTo("invalid_grant"));

        assertEquals(1, events("io.berth.cli_secret.created.v1", user, "\"rotated\": false"));
        assertEquals(1, events("io.berth.cli_secret.created.v1", user, "\"rotated\": true"));
        assertEquals(1, events("io.berth.cli_secret.deleted.v1", user, user));
        assertEquals(0, events("io.berth.cli_secret.created.v1", user, second.substring(9)), "a secret in an event");
    }

    @Test
    void aSecretCannotMintItsSuccessorAndRobotsHaveNone() {
        String secret = given().auth().preemptive().basic("developer", "berth-dev")
                .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
        given().auth().preemptive().basic("developer", secret).when().post("/api/v1/users/current/cli-secret")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));

        var robot = robots.createProjectRobot("test", project(false), "nosecret", Set.of("pull"), -1).orElseThrow();
        given().auth().preemptive().basic(robot.name(), robot.secret()).when().post("/api/v1/users/current/cli-secret")
                .then().statusCode(403);
        given().auth().preemptive().basic(robot.name(), robot.secret()).when().get("/api/v1/users/current/cli-secret")
                .then().statusCode(403);
        given().when().post("/api/v1/users/current/cli-secret").then().statusCode(401);
    }

    @Test
    void aUserDisabledInKeycloakLosesTheirSecret() {
        String user = "disabled-" + System.nanoTime();
        String id = Fixtures.newKeycloakUser(user, "pw-" + user);
        String secret = given().auth().preemptive().basic(user, "pw-" + user)
                .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
        given().auth().preemptive().basic(user, secret).when().get("/service/token").then().statusCode(200);

        Fixtures.setKeycloakUserEnabled(id, false);
        // Within 2 s, not at once: a cached check lasts until Keycloak's admin event is read (ADR 0020).
        CachedCredentialsTest.refusedWithin2s(user, secret);
        Fixtures.setKeycloakUserEnabled(id, true);
        given().auth().preemptive().basic(user, secret).when().get("/service/token").then().statusCode(200);
    }

    @Test
    void theSecretIsStoredOnlyAsABcryptHash() throws SQLException {
        String secret = given().auth().preemptive().basic("developer", "berth-dev")
                .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
        try (var c = DriverManager.getConnection(Fixtures.DB, "berth", "berth");
                var ps = c.prepareStatement("SELECT secret_hash FROM cli_secrets WHERE username = 'developer'")) {
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("$2b$10$"));
                assertFalse(rs.getString(1).contains(secret.substring(9)));
            }
        }
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/api/v1/users/current/cli-secret")
                .then().statusCode(200).body("lastUsedAt", nullValue());
    }
}
