package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.containsString;

import io.berth.auth.service.RobotService;
import io.berth.security.Scope;
import io.berth.security.token.RegistryToken;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Service accounts ({@code service$<name>}) at the token service: the test profile gives
 * {@code scanner-bridge} a secret with pull, push and scanner-pull, {@code replicator} one with
 * pull, push, delete, scanner-pull and catalog, and configures {@code no-secret} without one.
 */
@QuarkusTest
class ServiceAccountTest {

    static final String NAME = "service$scanner-bridge";
    static final String SECRET = "test-scanner-bridge-secret";

    @Inject
    RobotService robots;

    @Test
    void itsActionsAreGrantedInEveryRepositoryOfEveryProjectButNeverTheCatalog() {
        String closed = project(false);
        String open = project(true);
        RegistryToken token = verify(given().auth().preemptive().basic(NAME, SECRET)
                .queryParam("scope", "repository:" + closed + "/app:pull,push,delete")
                .queryParam("scope", "repository:" + open + "/deep/er:pull")
                .queryParam("scope", "repository:no-such-project/app:pull")
                .queryParam("scope", "registry:catalog:*")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));

        assertEquals(NAME, token.subject());
        // scanner-pull comes with every pull (as for robots holding it); delete was not configured.
        assertEquals(List.of(
                new Scope("repository", closed + "/app", Set.of("pull", "push", "scanner-pull")),
                new Scope("repository", open + "/deep/er", Set.of("pull", "scanner-pull"))), token.access());
    }

    @Test
    void theCatalogActionGrantsTheCatalogAndNothingInARepository() {
        String p = project(false);
        RegistryToken token = verify(given().auth().preemptive().basic("service$replicator", "test-replicator-service-secret")
                .queryParam("scope", "registry:catalog:*")
                .queryParam("scope", "repository:" + p + "/app:pull,push,delete,catalog")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));

        assertEquals(List.of(
                new Scope("registry", "catalog", Set.of("*")),
                new Scope("repository", p + "/app", Set.of("pull", "push", "delete", "scanner-pull"))), token.access());
    }

    @Test
    void theOAuthFormWorksTooButGivesNoRefreshToken() {
        String p = project(false);
        var answer = given().formParam("grant_type", "password").formParam("username", NAME).formParam("password", SECRET)
                .formParam("access_type", "offline").formParam("scope", "repository:" + p + "/app:push")
                .when().post("/service/token").then().statusCode(200).extract();
        assertEquals("repository:" + p + "/app:push", answer.path("scope"));
        assertNull(answer.path("refresh_token"));
        String viaGet = given().auth().preemptive().basic(NAME, SECRET).queryParam("offline_token", "true")
                .when().get("/service/token").then().statusCode(200).extract().path("refresh_token");
        assertNull(viaGet);
    }

    @Test
    void wrongAndUnsetSecretsAreRefusedAndCountAsFailedLogins() throws SQLException {
        long before = Fixtures.events("io.berth.auth.login_failed.v1", NAME, "\"kind\": \"service\"")
                + Fixtures.events("io.berth.auth.login_failed.v1", NAME, "\"kind\":\"service\"");
        given().auth().preemptive().basic(NAME, SECRET + "x").when().get("/service/token").then().statusCode(401);
        given().auth().preemptive().basic(NAME, SECRET.substring(1)).when().get("/service/token").then().statusCode(401);
        long after = Fixtures.events("io.berth.auth.login_failed.v1", NAME, "\"kind\": \"service\"")
                + Fixtures.events("io.berth.auth.login_failed.v1", NAME, "\"kind\":\"service\"");
        assertEquals(before + 2, after, "each wrong secret is an audited failed login");

        // Configured without a secret: no secret at all opens it, not even an empty one.
        given().auth().preemptive().basic("service$no-secret", "anything").when().get("/service/token").then().statusCode(401);
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("service$no-secret:".getBytes()))
                .when().get("/service/token").then().statusCode(401);
        given().auth().preemptive().basic("service$never-configured", SECRET).when().get("/service/token").then().statusCode(401);
        // Another account's secret is not this one's.
        given().auth().preemptive().basic("service$no-secret", SECRET).when().get("/service/token").then().statusCode(401);
    }

    @Test
    void theManagementApiIsNotForServiceAccounts() {
        given().auth().preemptive().basic(NAME, SECRET).when().get("/api/v1/projects").then().statusCode(403)
                .body(containsString("token service only"));
        given().auth().preemptive().basic(NAME, SECRET).when().get("/api/v1/users/current").then().statusCode(403);
    }

    @Test
    void noUserOrRobotOwnsAServiceName() {
        // Keycloak (the local realm) refuses such a username outright; auth would not check one there
        // anyway, nor take a console token carrying one (ApiCallers).
        var refused = assertThrows(IllegalStateException.class,
                () -> Fixtures.newKeycloakUser("service$kc" + System.nanoTime(), "pw-12345678"));
        assertTrue(refused.getMessage().contains("username"), refused.getMessage());
        // Nor can the case hide it.
        given().auth().preemptive().basic("Service$scanner-bridge", SECRET).when().get("/service/token").then().statusCode(401);
        // Robots live under robot$, and their own names cannot carry a $.
        assertThrows(IllegalArgumentException.class,
                () -> robots.createSystemRobot("test", "service$scanner-bridge", Map.of(project(false), Set.of("pull")), -1));
        assertTrue(robots.createSystemRobot("test", "sb-" + System.nanoTime(), Map.of(project(false), Set.of("pull")), -1)
                .orElseThrow().name().startsWith("robot$"));
    }
}
