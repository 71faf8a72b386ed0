package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.project;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.service.RobotService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * No secret or token reaches the log: every record auth writes while passwords, robot secrets,
 * CLI secrets, refresh tokens and registry tokens go through it, right and wrong, at every level.
 */
@QuarkusTest
class NoSecretsInLogsTest {

    @Inject
    RobotService robots;

    @Test
    void noSecretOrTokenIsLogged() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
                if (record.getParameters() != null) {
                    for (Object p : record.getParameters()) {
                        line.append(' ').append(p);
                    }
                }
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(' ').append(t);
                }
                logged.add(line.toString());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        Level before = Logger.getLogger("io.berth").getLevel();
        Logger.getLogger("io.berth").setLevel(Level.ALL);
        root.addHandler(capture);
        List<String> secrets = new java.util.ArrayList<>(List.of("berth-dev", "wrong-password-" + System.nanoTime()));
        try {
            given().auth().preemptive().basic("developer", secrets.get(1)).when().get("/service/token").then().statusCode(401);
            String token = given().auth().preemptive().basic("developer", "berth-dev").queryParam("offline_token", "true")
                    .when().get("/service/token").then().statusCode(200).extract().path("token");
            secrets.add(token);
            String cli = given().auth().preemptive().basic("developer", "berth-dev")
                    .when().post("/api/v1/users/current/cli-secret").then().statusCode(201).extract().path("secret");
            secrets.add(cli);
            given().auth().preemptive().basic("developer", cli + "x").when().get("/service/token").then().statusCode(401);
            String refresh = given().auth().preemptive().basic("developer", cli).queryParam("offline_token", "true")
                    .when().get("/service/token").then().statusCode(200).extract().path("refresh_token");
            secrets.add(refresh);
            given().formParam("grant_type", "refresh_token").formParam("refresh_token", refresh)
                    .when().post("/service/token").then().statusCode(200);
            given().formParam("grant_type", "refresh_token").formParam("refresh_token", refresh + "x")
                    .when().post("/service/token").then().statusCode(400);
            var robot = robots.createProjectRobot("test", project(false), "logged", Set.of("pull"), -1).orElseThrow();
            secrets.add(robot.secret());
            given().auth().preemptive().basic(robot.name(), robot.secret()).when().get("/service/token").then().statusCode(200);
            given().auth().preemptive().basic(robot.name(), "not-" + robot.secret()).when().get("/service/token")
                    .then().statusCode(401);
            given().auth().oauth2(Fixtures.keycloakToken("developer", "berth-dev") + "x")
                    .when().get("/api/v1/users/current").then().statusCode(401);
        } finally {
            root.removeHandler(capture);
            Logger.getLogger("io.berth").setLevel(before);
        }
        // The capture must see the login paths' own records, or it proves nothing.
        assertTrue(logged.stream().anyMatch(l -> l.contains("logged in from")), "no login record captured: " + logged);
        assertTrue(logged.stream().anyMatch(l -> l.contains("refused the")), "no refusal record captured: " + logged);
        for (String line : logged) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret in the log: " + line);
            }
        }
    }
}
