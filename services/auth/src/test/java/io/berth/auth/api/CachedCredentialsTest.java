package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.project;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.auth.service.CachedCredentials;
import io.berth.auth.service.KeycloakEventWatcher;
import io.berth.auth.service.RobotService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credential cache (ADR 0020) against the real PostgreSQL and Keycloak: a second check is a
 * hit, a wrong secret is still refused, and revocations win over the cache within 2 s.
 */
@QuarkusTest
class CachedCredentialsTest {

    @Inject
    RobotService robots;

    @Inject
    CachedCredentials cached;

    @Inject
    KeycloakEventWatcher keycloakEvents;

    @Inject
    MeterRegistry metrics;

    @BeforeEach
    void cacheIsListening() {
        // The realm file lets auth read admin events (adminEventsEnabled, view-events); if it did
        // not, watching() would stay false and this fails.
        keycloakEvents.pollOnce();
        await("the revocation listener connects", cached::live);
        await("Keycloak's admin events are read", keycloakEvents::watching);
    }

    @Test
    void aRobotsSecondCheckIsServedFromTheCacheAndAWrongSecretIsStillRefused() {
        var robot = robots.createProjectRobot("test", project(false), "ci", Set.of("pull"), 1).orElseThrow();
        tokenStatus(robot.name(), robot.secret(), 200);
        double hits = hits();
        double checks = checks();
        tokenStatus(robot.name(), robot.secret(), 200);
        assertEquals(hits + 1, hits(), "the second check is a hit");
        assertEquals(checks, checks(), "and no real check");

        tokenStatus(robot.name(), robot.secret() + "x", 401);
        tokenStatus(robot.name(), robot.secret().substring(1), 401);
        assertEquals(hits + 1, hits(), "failures are never hits");
    }

    @Test
    void aDisabledRobotIsRefusedAlthoughItsCheckWasCached() {
        var robot = robots.createProjectRobot("test", project(false), "ci", Set.of("pull"), 1).orElseThrow();
        tokenStatus(robot.name(), robot.secret(), 200);
        tokenStatus(robot.name(), robot.secret(), 200);
        double hits = hits();

        assertTrue(robots.setDisabled("test", robot.name(), true));
        refusedWithin2s(robot.name(), robot.secret());
        assertEquals(hits, hits(), "the refusal came from a real check");
        assertTrue(robots.setDisabled("test", robot.name(), false));
        tokenStatus(robot.name(), robot.secret(), 200);
    }

    @Test
    void aRotatedCliSecretIsRefusedAlthoughItsCheckWasCached() {
        String old = newCliSecret();
        tokenStatus("developer", old, 200);
        tokenStatus("developer", old, 200);

        String current = newCliSecret();
        refusedWithin2s("developer", old);
        tokenStatus("developer", current, 200);

        given().auth().preemptive().basic("developer", current).when().delete("/api/v1/users/current/cli-secret")
                .then().statusCode(204);
        refusedWithin2s("developer", current);
    }

    @Test
    void aPasswordIsCachedAndADisabledUserIsRefusedWithin2s() {
        String user = "cached-" + System.nanoTime();
        String id = Fixtures.newKeycloakUser(user, "pw-" + user);
        // Creating the user is an admin event too, which evicts them once the watcher reads it:
        // the second of two checks is a hit once that has passed.
        boolean hit = false;
        for (int i = 0; i < 10 && !hit; i++) {
            double hits = hits();
            tokenStatus(user, "pw-" + user, 200);
            tokenStatus(user, "pw-" + user, 200);
            hit = hits() > hits;
        }
        assertTrue(hit, "a second password check was a hit");
        tokenStatus(user, "wrong-" + user, 401);

        Fixtures.setKeycloakUserEnabled(id, false);
        refusedWithin2s(user, "pw-" + user);
    }

    /** Polls the token service for at most 2 s until the credentials are refused. */
    static void refusedWithin2s(String name, String secret) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int status;
        do {
            status = given().auth().preemptive().basic(name, secret).when().get("/service/token").statusCode();
            if (status == 401) {
                return;
            }
        } while (System.nanoTime() < deadline);
        fail("still answered " + status + " 2 s after the revocation");
    }

    private static String newCliSecret() {
        return given().auth().preemptive().basic("developer", "berth-dev").when().post("/api/v1/users/current/cli-secret")
                .then().statusCode(201).extract().path("secret");
    }

    private static void tokenStatus(String name, String secret, int status) {
        given().auth().preemptive().basic(name, secret).when().get("/service/token").then().statusCode(status);
    }

    private double hits() {
        return metrics.counter("berth.auth.credential.checks", "source", "cache").count();
    }

    private double checks() {
        return metrics.counter("berth.auth.credential.checks", "source", "check").count();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within 10 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
