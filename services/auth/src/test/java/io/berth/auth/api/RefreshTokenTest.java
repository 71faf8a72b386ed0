package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.member;
import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.sql;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.service.RobotService;
import io.berth.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Refresh tokens ({@code offline_token=true}, {@code grant_type=refresh_token}): what docker
 * keeps in place of a password. Each use reads the account and its roles again.
 */
@QuarkusTest
class RefreshTokenTest {

    @Inject
    RobotService robots;

    private static io.restassured.response.ValidatableResponse refresh(String token, String scope) {
        var request = given().formParam("grant_type", "refresh_token").formParam("refresh_token", token)
                .formParam("service", "berth").formParam("client_id", "docker");
        if (scope != null) {
            request = request.formParam("scope", scope);
        }
        return request.when().post("/service/token").then();
    }

    @Test
    void aRefreshTokenGetsTokensForTheRolesItsUserHasNow() throws SQLException {
        String p = project(false);
        member(p, "user", "developer", "developer");
        String refreshToken = given().auth().preemptive().basic("developer", "berth-dev")
                .queryParam("offline_token", "true").queryParam("client_id", "docker")
                .when().get("/service/token").then().statusCode(200).extract().path("refresh_token");
        assertTrue(refreshToken.startsWith("berthrt_"), refreshToken);

        String scope = "repository:" + p + "/app:pull,push";
        var answer = refresh(refreshToken, scope).statusCode(200).body("refresh_token", equalTo(refreshToken));
        var token = verify(answer.extract().path("token"));
        assertEquals("developer", token.subject());
        assertEquals(List.of(new Scope("repository", p + "/app", Set.of("pull", "push"))), token.access());

        sql("UPDATE project_members SET role = 'guest' WHERE member_name = 'developer' AND project_id = "
                + "(SELECT id FROM projects WHERE name = '" + p + "')");
        assertEquals(List.of(new Scope("repository", p + "/app", Set.of("pull"))),
                verify(refresh(refreshToken, scope).statusCode(200).extract().path("token")).access());

        sql("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE account = 'developer'");
        refresh(refreshToken, scope).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void thePasswordGrantGivesOneWhenAskedForOfflineAccess() {
        given().formParam("grant_type", "password").formParam("username", "developer").formParam("password", "berth-dev")
                .formParam("access_type", "offline").formParam("client_id", "containerd")
                .when().post("/service/token").then().statusCode(200).body("$", hasKey("refresh_token"));
        given().formParam("grant_type", "password").formParam("username", "developer").formParam("password", "berth-dev")
                .when().post("/service/token").then().statusCode(200).body("$", not(hasKey("refresh_token")));
        // Nobody to refresh: an anonymous caller gets none.
        given().queryParam("offline_token", "true").when().get("/service/token").then().statusCode(200)
                .body("$", not(hasKey("refresh_token")));
    }

    @Test
    void unknownAndMalformedRefreshTokensAreRefused() {
        refresh("berthrt_" + "A".repeat(43), null).statusCode(400).body("error", equalTo("invalid_grant"));
        refresh("not-a-token", null).statusCode(400).body("error", equalTo("invalid_grant"));
        given().formParam("grant_type", "refresh_token").when().post("/service/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().formParam("grant_type", "client_credentials").when().post("/service/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void aRobotsRefreshTokenStopsWhenItIsDisabledOrItsSecretRefreshed() {
        String p = project(false);
        var robot = robots.createProjectRobot("test", p, "offline", Set.of("pull"), -1).orElseThrow();
        String refreshToken = given().auth().preemptive().basic(robot.name(), robot.secret())
                .queryParam("offline_token", "true").when().get("/service/token")
                .then().statusCode(200).extract().path("refresh_token");
        String scope = "repository:" + p + "/app:pull";
        assertEquals(robot.name(), verify(refresh(refreshToken, scope).statusCode(200).extract().path("token")).subject());

        robots.setDisabled("test", robot.name(), true);
        refresh(refreshToken, scope).statusCode(400).body("error", equalTo("invalid_grant"));
        robots.setDisabled("test", robot.name(), false);
        refresh(refreshToken, scope).statusCode(200);

        robots.refreshSecret("test", robot.name()).orElseThrow();
        refresh(refreshToken, scope).statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
