package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.sql;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.service.RobotService;
import io.berth.security.Scope;
import io.berth.security.token.Jwks;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenVerifier;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Robot accounts at the token service: what they get, and every way they are refused. */
@QuarkusTest
class RobotTokenTest {

    @Inject
    RobotService robots;

    @Test
    void aProjectRobotGetsItsPermissionsInItsProjectAndPublicPullsOnly() {
        String home = project(false);
        String other = project(false);
        String open = project(true);
        var robot = robots.createProjectRobot("test", home, "ci", Set.of("pull", "push"), -1).orElseThrow();
        assertEquals("robot$" + home + "+ci", robot.name());

        RegistryToken token = verify(tokenFor(robot.name(), robot.secret(),
                "repository:" + home + "/app:pull,push,delete", "repository:" + other + "/app:pull",
                "repository:" + open + "/app:push,pull", "registry:catalog:*"));

        assertEquals(robot.name(), token.subject());
        assertEquals(List.of(
                new Scope("repository", home + "/app", Set.of("pull", "push")),
                new Scope("repository", open + "/app", Set.of("pull"))), token.access());
        assertTrue(robots.createProjectRobot("test", home, "ci", Set.of("pull"), -1).isEmpty(), "the name is taken");
    }

    @Test
    void aSystemRobotHoldsPermissionsInSeveralProjects() {
        String a = project(false);
        String b = project(false);
        var robot = robots.createSystemRobot("test", "replicator-" + System.nanoTime(),
                Map.of(a, Set.of("pull"), b, Set.of("pull", "push", "delete")), 30).orElseThrow();

        RegistryToken token = verify(tokenFor(robot.name(), robot.secret(),
                "repository:" + a + "/x:*", "repository:" + b + "/y:*"));

        assertEquals(Set.of("pull"), token.access().get(0).actions());
        assertEquals(Set.of("pull", "push", "delete"), token.access().get(1).actions());
    }

    @Test
    void wrongDisabledExpiredAndReplacedSecretsAreRefused() throws SQLException {
        String home = project(false);
        var robot = robots.createProjectRobot("test", home, "build", Set.of("pull"), 10).orElseThrow();
        tokenStatus(robot.name(), robot.secret(), 200);
        tokenStatus(robot.name(), robot.secret() + "x", 401);
        tokenStatus("robot$" + home + "+nobody", robot.secret(), 401);

        // Within 2 s rather than at once: a cached check lasts until the revocation arrives (ADR 0020).
        assertTrue(robots.setDisabled("test", robot.name(), true));
        CachedCredentialsTest.refusedWithin2s(robot.name(), robot.secret());
        assertTrue(robots.setDisabled("test", robot.name(), false));
        tokenStatus(robot.name(), robot.secret(), 200);

        var refreshed = robots.refreshSecret("test", robot.name()).orElseThrow();
        CachedCredentialsTest.refusedWithin2s(robot.name(), robot.secret());
        tokenStatus(robot.name(), refreshed.secret(), 200);

        // Time passing, simulated behind auth's back: what auth would not announce, the test does.
        sql("UPDATE robots SET expires_at = now() - interval '1 second' WHERE name = '" + robot.name() + "'");
        sql("DO $n$BEGIN PERFORM pg_notify('berth_credentials', '" + robot.name() + "'); END$n$");
        CachedCredentialsTest.refusedWithin2s(robot.name(), refreshed.secret());
    }

    @Test
    void theSecretIsStoredOnlyAsABcryptHash() throws SQLException {
        var robot = robots.createProjectRobot("test", project(false), "hashed", Set.of("pull"), -1).orElseThrow();
        try (var c = DriverManager.getConnection(Fixtures.DB, "berth", "berth");
                var ps = c.prepareStatement("SELECT secret_hash FROM robots WHERE name = ?")) {
            ps.setString(1, robot.name());
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                String stored = rs.getString(1);
                assertTrue(stored.startsWith("$2b$10$"), stored);
                assertFalse(stored.contains(robot.secret()));
            }
        }
    }

    @Test
    void invalidRobotsAreNotMade() {
        String home = project(false);
        assertThrows(IllegalArgumentException.class, () -> robots.createProjectRobot("test", home, "Bad Name", Set.of("pull"), -1));
        assertThrows(IllegalArgumentException.class, () -> robots.createProjectRobot("test", home, "ok", Set.of("admin"), -1));
        assertThrows(IllegalArgumentException.class, () -> robots.createProjectRobot("test", home, "ok", Set.of("pull"), 0));
        assertThrows(IllegalArgumentException.class, () -> robots.createProjectRobot("test", "no-such-project", "ok", Set.of("pull"), -1));
        assertThrows(IllegalArgumentException.class,
                () -> robots.createSystemRobot("test", "sys-" + System.nanoTime(), Map.of("no-such-project", Set.of("pull")), -1));
    }

    private static String tokenFor(String name, String secret, String... scopes) {
        var request = given().auth().preemptive().basic(name, secret);
        for (String scope : scopes) {
            request = request.queryParam("scope", scope);
        }
        return request.when().get("/service/token").then().statusCode(200).extract().path("token");
    }

    private static void tokenStatus(String name, String secret, int status) {
        given().auth().preemptive().basic(name, secret).when().get("/service/token").then().statusCode(status);
    }
}
