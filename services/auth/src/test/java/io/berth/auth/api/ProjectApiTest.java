package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The management API's contract for projects, members and robots (issue #4), with the real
 * Keycloak checking the local realm's users: the developer, and admin (berth-admin).
 */
@QuarkusTest
class ProjectApiTest {


    private static RequestSpecification developer() {
        return given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    private static String name(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @Test
    void aUserCreatesAProjectAndBecomesItsAdmin() {
        String p = name("api");
        developer().body(Map.of("name", p, "public", false)).when().post("/api/v1/projects")
                .then().statusCode(201).header("Location", containsString("/api/v1/projects/" + p))
                .body("name", equalTo(p)).body("public", equalTo(false));
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200).body("name", equalTo(p))
                .body("currentUserRole", equalTo("projectAdmin"));
        developer().when().get("/api/v1/projects/" + p + "/members").then().statusCode(200)
                .body("find { it.username == 'developer' }.role", equalTo("projectAdmin"));
        // A system administrator who is not a member sees the project, with no role of their own.
        admin().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.hasKey("currentUserRole")).body("currentUserRole", equalTo(null));
        developer().when().get("/api/v1/projects").then().statusCode(200).body("name", hasItem(p));

        developer().body(Map.of("name", p)).when().post("/api/v1/projects")
                .then().statusCode(409).body("errors[0].code", equalTo("CONFLICT"));
        developer().body(Map.of("public", true)).when().put("/api/v1/projects/" + p)
                .then().statusCode(200).body("public", equalTo(true));
    }

    @Test
    void aProjectKeepsItsQuotaImmutabilityRulesAndVulnerabilityPolicy() throws SQLException {
        String p = name("settings");
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201)
                .body("quotaBytes", equalTo(-1)).body("immutableTagRules.size()", equalTo(0))
                .body("vulnerabilityPolicy.preventPull", equalTo(false));

        var rules = List.of(Map.of("repositories", "**", "tags", "v*"), Map.of("repositories", "app/{api,web}", "tags", "release-?"));
        var policy = Map.of("scanOnPush", true, "preventPull", true, "severity", "CRITICAL", "allowlist", List.of("CVE-2024-3094"));
        developer().body(Map.of("immutableTagRules", rules, "vulnerabilityPolicy", policy))
                .when().put("/api/v1/projects/" + p).then().statusCode(200)
                .body("immutableTagRules[1].repositories", equalTo("app/{api,web}"))
                .body("vulnerabilityPolicy.severity", equalTo("critical"))
                .body("public", equalTo(false));
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("immutableTagRules[0].tags", equalTo("v*"))
                .body("vulnerabilityPolicy.scanOnPush", equalTo(true))
                .body("vulnerabilityPolicy.allowlist.id", hasItem("CVE-2024-3094"));

        // The quota is the system administrators'.
        developer().body(Map.of("quotaBytes", 1024)).when().put("/api/v1/projects/" + p)
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        developer().body(Map.of("name", name("quota"), "quotaBytes", 1024)).when().post("/api/v1/projects")
                .then().statusCode(403);
        admin().body(Map.of("quotaBytes", 10_737_418_240L)).when().put("/api/v1/projects/" + p)
                .then().statusCode(200).body("quotaBytes", equalTo(10_737_418_240L))
                .body("immutableTagRules.size()", equalTo(2));
        admin().body(Map.of("quotaBytes", -1)).when().put("/api/v1/projects/" + p).then().statusCode(200)
                .body("quotaBytes", equalTo(-1));
        String quoted = name("quoted");
        admin().body(Map.of("name", quoted, "quotaBytes", 5000, "public", true)).when().post("/api/v1/projects")
                .then().statusCode(201).body("quotaBytes", equalTo(5000)).body("public", equalTo(true));
        assertEquals(1, events("io.berth.project.updated.v1", p, "\"severity\": \"critical\""));
        assertEquals(1, events("io.berth.project.created.v1", quoted, "\"quotaBytes\": 5000"));
    }

    @Test
    void invalidSettingsAreRefusedWithTheReason() {
        String p = name("invalid");
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201);
        developer().body(Map.of("immutableTagRules", List.of(Map.of("repositories", "**", "tags", "v{1")))).when()
                .put("/api/v1/projects/" + p).then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                .body("errors[0].message", containsString("'{' without its '}'"));
        developer().body(Map.of("vulnerabilityPolicy", Map.of("preventPull", true, "severity", "severe"))).when()
                .put("/api/v1/projects/" + p).then().statusCode(400).body("errors[0].message", containsString("severity"));
        var sixteen = java.util.Collections.nCopies(16, Map.of("repositories", "**", "tags", "*"));
        developer().body(Map.of("immutableTagRules", sixteen)).when().put("/api/v1/projects/" + p)
                .then().statusCode(400).body("errors[0].message", containsString("15"));
        developer().body(Map.of("quotaBytes", "lots")).when().put("/api/v1/projects/" + p)
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        developer().body(Map.of()).when().put("/api/v1/projects/" + p).then().statusCode(400);
        developer().body(Map.of("name", "renamed", "public", true)).when().put("/api/v1/projects/" + p).then().statusCode(400);
        admin().body(Map.of("quotaBytes", -2)).when().put("/api/v1/projects/" + p).then().statusCode(400);
        // Nothing of the refused changes was kept.
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("immutableTagRules.size()", equalTo(0)).body("public", equalTo(false)).body("quotaBytes", equalTo(-1));
    }

    @Test
    void badRequestsGetTheOneErrorShape() {
        developer().body(Map.of("name", "Not/A Name")).when().post("/api/v1/projects")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        developer().body("{not json").when().post("/api/v1/projects")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        given().contentType(ContentType.JSON).body(Map.of("name", name("x"))).when().post("/api/v1/projects")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().auth().preemptive().basic("developer", "wrong").when().get("/api/v1/projects")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        developer().when().get("/api/v1/projects/" + name("missing"))
                .then().statusCode(404).body("errors[0].code", equalTo("NOT_FOUND"));
    }

    @Test
    void membersAreManagedByTheProjectAdminOnly() {
        String p = name("team");
        admin().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201);

        // A private project the developer is not in: invisible, so not even a 403.
        developer().when().get("/api/v1/projects/" + p).then().statusCode(404);
        developer().when().get("/api/v1/projects").then().statusCode(200).body("name", not(hasItem(p)));
        developer().body(Map.of("username", "developer", "role", "projectAdmin"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(404);

        admin().body(Map.of("username", "developer", "role", "guest"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(201);
        admin().body(Map.of("group", "berth-developers", "role", "developer"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(201);
        admin().body(Map.of("username", "developer", "role", "guest"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(409);
        admin().body(Map.of("username", "someone", "role", "owner"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(400);

        // A guest sees the project and its members but changes nothing.
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200).body("currentUserRole", equalTo("guest"));
        developer().when().get("/api/v1/projects/" + p + "/members").then().statusCode(200)
                .body("find { it.group == 'berth-developers' }.role", equalTo("developer"));
        developer().body(Map.of("username", "developer", "role", "projectAdmin"))
                .when().put("/api/v1/projects/" + p + "/members/user/developer")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));

        admin().body(Map.of("role", "maintainer")).when().put("/api/v1/projects/" + p + "/members/user/developer")
                .then().statusCode(204);
        developer().when().get("/api/v1/projects/" + p + "/members").then().statusCode(200)
                .body("find { it.username == 'developer' }.role", equalTo("maintainer"));
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("currentUserRole", equalTo("maintainer"));
        admin().when().delete("/api/v1/projects/" + p + "/members/user/developer").then().statusCode(204);
        admin().when().delete("/api/v1/projects/" + p + "/members/user/developer").then().statusCode(404);
        developer().when().get("/api/v1/projects/" + p).then().statusCode(404);
    }

    @Test
    void robotsAreMadeThroughTheApiAndTheirSecretWorksOnce() {
        String p = name("ci");
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201);
        var robot = developer().body(Map.of("name", "builder", "permissions", new String[] {"pull", "push"},
                        "expiresInDays", -1))
                .when().post("/api/v1/projects/" + p + "/robots")
                .then().statusCode(201).body("name", equalTo("robot$" + p + "+builder")).extract().jsonPath();
        String robotName = robot.getString("name");
        String secret = robot.getString("secret");

        given().auth().preemptive().basic(robotName, secret).queryParam("scope", "repository:" + p + "/app:push")
                .when().get("/service/token").then().statusCode(200);
        // A robot may use the API to read what it can pull from, and change nothing.
        given().auth().preemptive().basic(robotName, secret).when().get("/api/v1/users/current")
                .then().statusCode(200).body("username", equalTo(robotName)).body("robot", equalTo(true));
        given().auth().preemptive().basic(robotName, secret).contentType(ContentType.JSON)
                .body(Map.of("name", name("by-robot"))).when().post("/api/v1/projects").then().statusCode(403);

        developer().body(Map.of("disabled", true)).when().put("/api/v1/projects/" + p + "/robots/builder")
                .then().statusCode(204);
        given().auth().preemptive().basic(robotName, secret).when().get("/service/token").then().statusCode(401);
        developer().body(Map.of("disabled", false)).when().put("/api/v1/projects/" + p + "/robots/builder")
                .then().statusCode(204);
        String renewed = developer().when().post("/api/v1/projects/" + p + "/robots/builder/secret")
                .then().statusCode(200).extract().path("secret");
        given().auth().preemptive().basic(robotName, secret).when().get("/service/token").then().statusCode(401);
        given().auth().preemptive().basic(robotName, renewed).when().get("/service/token").then().statusCode(200);

        developer().body(Map.of("name", "builder", "permissions", new String[] {"pull"}))
                .when().post("/api/v1/projects/" + p + "/robots").then().statusCode(409);
        developer().when().get("/api/v1/projects/" + p + "/robots").then().statusCode(200)
                .body("[0].name", equalTo(robotName)).body("[0].permissions." + p, hasItem("push"))
                .body("[0].disabled", equalTo(false)).body("[0]", not(org.hamcrest.Matchers.hasKey("secret")));
        developer().when().delete("/api/v1/projects/" + p + "/robots/builder").then().statusCode(204);
        developer().when().delete("/api/v1/projects/" + p + "/robots/builder").then().statusCode(404);
        given().auth().preemptive().basic(robotName, renewed).when().get("/service/token").then().statusCode(401);
        developer().body(Map.of("name", "Bad Name", "permissions", new String[] {"pull"}))
                .when().post("/api/v1/projects/" + p + "/robots").then().statusCode(400);
    }

    @Test
    void aProjectWithRepositoriesIsNotDeleted() throws SQLException {
        String full = name("full");
        String empty = name("empty");
        developer().body(Map.of("name", full)).when().post("/api/v1/projects").then().statusCode(201);
        developer().body(Map.of("name", empty)).when().post("/api/v1/projects").then().statusCode(201);
        try (var c = DriverManager.getConnection(Fixtures.DB, "berth", "berth");
                var ps = c.prepareStatement("INSERT INTO repositories (project_id, name) SELECT id, ? FROM projects WHERE name = ?")) {
            ps.setString(1, full + "/app");
            ps.setString(2, full);
            ps.executeUpdate();
        }
        developer().when().delete("/api/v1/projects/" + full)
                .then().statusCode(412).body("errors[0].code", equalTo("PRECONDITION_FAILED"));
        developer().when().delete("/api/v1/projects/" + empty).then().statusCode(204);
        developer().when().get("/api/v1/projects/" + empty).then().statusCode(404);
    }

    @Test
    void everyChangeIsAnAuditEventAndARefusedOneIsNot() throws SQLException {
        String p = name("audited");
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201);
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(409);
        developer().body(Map.of("group", "berth-developers", "role", "guest"))
                .when().post("/api/v1/projects/" + p + "/members").then().statusCode(201);
        String secret = developer().body(Map.of("name", "audited", "permissions", new String[] {"pull"}))
                .when().post("/api/v1/projects/" + p + "/robots").then().statusCode(201).extract().path("secret");
        developer().when().delete("/api/v1/projects/" + p).then().statusCode(204);

        assertEquals(1, events("io.berth.project.created.v1", p, "\"actor\": \"developer\""));
        assertEquals(1, events("io.berth.member.created.v1", p, "\"group\": \"berth-developers\""));
        assertEquals(1, events("io.berth.robot.created.v1", "robot$" + p + "+audited", "\"actor\": \"developer\""));
        assertEquals(0, events("io.berth.robot.created.v1", "robot$" + p + "+audited", secret), "a secret in an event");
        assertEquals(1, events("io.berth.project.deleted.v1", p, p));
        // Where the change came from.
        assertEquals(1, events("io.berth.project.created.v1", p, "\"clientIp\": \"127.0.0.1\""));
        // Behind the gateway: the first X-Forwarded-For address.
        String forwarded = name("forwarded");
        developer().header("X-Forwarded-For", "203.0.113.9, 10.0.0.1").body(Map.of("name", forwarded))
                .when().post("/api/v1/projects").then().statusCode(201);
        assertEquals(1, events("io.berth.project.created.v1", forwarded, "\"clientIp\": \"203.0.113.9\""));
        developer().when().delete("/api/v1/projects/" + forwarded).then().statusCode(204);
    }

    @Test
    void theCurrentUserAndTheOpenApiDocument() {
        developer().when().get("/api/v1/users/current").then().statusCode(200)
                .body("username", equalTo("developer")).body("admin", equalTo(false));
        admin().when().get("/api/v1/users/current").then().statusCode(200).body("admin", equalTo(true));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/projects"));
    }
}
