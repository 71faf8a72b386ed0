package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.events;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What auth stores and grants for the pull gate (docs/security.md, "The pull gate"): a project's
 * vulnerability policy with {@code unscanned} and expiring allowlist entries, the system
 * allowlist (system administrators only), and robots with {@code scanner-pull}.
 */
@QuarkusTest
class PullGateSettingsApiTest {

    private static RequestSpecification developer() {
        return given().auth().preemptive().basic("developer", "berth-dev").contentType(ContentType.JSON);
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
    }

    private static String newProject() {
        String p = "gate-" + System.nanoTime();
        developer().body(Map.of("name", p)).when().post("/api/v1/projects").then().statusCode(201);
        return p;
    }

    @AfterEach
    void noSystemAllowlist() throws SQLException {
        Fixtures.sql("UPDATE system_settings SET vulnerability_allowlist = '[]'");
    }

    @Test
    void aProjectAdminSetsUnscannedAndExpiringEntriesAndOldShapesStillRead() throws SQLException {
        String p = newProject();
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("vulnerabilityPolicy.unscanned", equalTo("allow"))
                .body("vulnerabilityPolicy.allowlist.size()", equalTo(0));

        var policy = Map.of("preventPull", true, "severity", "high", "unscanned", "deny", "allowlist", List.of(
                "CVE-2024-3094", Map.of("id", "GHSA-jfh8-c2jp-5v3q", "expiresAt", "2027-01-31")));
        developer().body(Map.of("vulnerabilityPolicy", policy)).when().put("/api/v1/projects/" + p)
                .then().statusCode(200)
                .body("vulnerabilityPolicy.unscanned", equalTo("deny"))
                .body("vulnerabilityPolicy.allowlist[0].id", equalTo("CVE-2024-3094"))
                .body("vulnerabilityPolicy.allowlist[0].expiresAt", nullValue())
                .body("vulnerabilityPolicy.allowlist[1].id", equalTo("GHSA-jfh8-c2jp-5v3q"))
                .body("vulnerabilityPolicy.allowlist[1].expiresAt", equalTo("2027-02-01T00:00:00Z"));
        assertEquals(1, events("io.berth.project.updated.v1", p, "\"unscanned\": \"deny\""));

        // A policy stored in the shape of before (plain ids, no unscanned) still reads.
        Fixtures.sql("UPDATE projects SET vulnerability_policy = '{\"preventPull\": true, \"severity\": \"critical\","
                + " \"allowlist\": [\"CVE-2021-44228\"]}' WHERE name = '" + p + "'");
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("vulnerabilityPolicy.allowlist[0].id", equalTo("CVE-2021-44228"))
                .body("vulnerabilityPolicy.unscanned", equalTo("allow"));
    }

    @Test
    void aBadPolicyIsRefusedWithEveryReasonAndNothingKept() {
        String p = newProject();
        var bad = Map.of("preventPull", true, "severity", "severe", "unscanned", "sometimes",
                "allowlist", List.of("CVE 2024", "CVE-2024-1", "cve-2024-1"));
        developer().body(Map.of("vulnerabilityPolicy", bad, "public", true)).when().put("/api/v1/projects/" + p)
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"))
                .body("errors[0].message", containsString("severity is one of [low, medium, high, critical], not 'severe'"))
                .body("errors[0].message", containsString("unscanned is allow or deny, not 'sometimes'"))
                .body("errors[0].message", containsString("'CVE 2024' in the allowlist is not a vulnerability id"))
                .body("errors[0].message", containsString("cve-2024-1 is listed twice in the allowlist"));
        var badDate = Map.of("allowlist", List.of(Map.of("id", "CVE-2024-1", "expiresAt", "soon")));
        developer().body(Map.of("vulnerabilityPolicy", badDate)).when().put("/api/v1/projects/" + p)
                .then().statusCode(400).body("errors[0].message", containsString("the expiresAt of CVE-2024-1, 'soon'"));
        developer().when().get("/api/v1/projects/" + p).then().statusCode(200)
                .body("public", equalTo(false)).body("vulnerabilityPolicy.preventPull", equalTo(false));
    }

    @Test
    void onlySystemAdministratorsSetTheSystemAllowlistAndEveryoneSignedInSeesIt() throws SQLException {
        var list = List.of("CVE-2024-3094", Map.of("id", "CVE-2023-44487", "expiresAt", "2026-06-30T00:00:00Z"));
        developer().body(Map.of("vulnerabilityAllowlist", list)).when().put("/api/v1/system/settings")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        developer().when().get("/api/v1/system/settings").then().statusCode(200)
                .body("vulnerabilityAllowlist.size()", equalTo(0));

        long before = events("io.berth.system_settings.updated.v1", "system", "CVE-2023-44487");
        admin().body(Map.of("vulnerabilityAllowlist", list)).when().put("/api/v1/system/settings")
                .then().statusCode(200).body("readOnly", equalTo(false))
                .body("vulnerabilityAllowlist[0].id", equalTo("CVE-2024-3094"))
                .body("vulnerabilityAllowlist[1].expiresAt", equalTo("2026-06-30T00:00:00Z"));
        assertEquals(before + 1, events("io.berth.system_settings.updated.v1", "system", "CVE-2023-44487"));
        developer().when().get("/api/v1/system/settings").then().statusCode(200)
                .body("vulnerabilityAllowlist[1].id", equalTo("CVE-2023-44487"));
        // Setting readOnly alone leaves the list as it is.
        admin().body(Map.of("readOnly", false)).when().put("/api/v1/system/settings")
                .then().statusCode(200).body("vulnerabilityAllowlist.size()", equalTo(2));

        admin().body(Map.of("vulnerabilityAllowlist", List.of("not an id", "CVE-2024-1", "CVE-2024-1"))).when()
                .put("/api/v1/system/settings").then().statusCode(400)
                .body("errors[0].message", containsString("'not an id' in the system allowlist is not a vulnerability id"))
                .body("errors[0].message", containsString("CVE-2024-1 is listed twice in the system allowlist"));
        admin().body("{\"vulnerabilityAllowlist\": [{\"id\": \"CVE-2024-1\", \"expiresAt\": \"tomorrow\"}]}").when()
                .put("/api/v1/system/settings").then().statusCode(400)
                .body("errors[0].message", containsString("'tomorrow'"));
        developer().when().get("/api/v1/system/settings").then().body("vulnerabilityAllowlist.size()", equalTo(2));
    }

    @Test
    void onlyASystemAdministratorGivesARobotScannerPullAndOnlyItsTokensCarryIt() {
        String p = newProject();
        var scanner = Map.of("name", "scanner", "permissions", List.of("pull", "scanner-pull"));
        developer().body(scanner).when().post("/api/v1/projects/" + p + "/robots")
                .then().statusCode(403).body("errors[0].message", containsString("scanner-pull"));
        admin().body(Map.of("name", "alone", "permissions", List.of("scanner-pull"))).when()
                .post("/api/v1/projects/" + p + "/robots").then().statusCode(400)
                .body("errors[0].message", containsString("needs pull too"));
        String secret = admin().body(scanner).when().post("/api/v1/projects/" + p + "/robots")
                .then().statusCode(201).extract().path("secret");
        developer().when().get("/api/v1/projects/" + p + "/robots").then().statusCode(200)
                .body("find { it.name == 'robot$" + p + "+scanner' }.permissions['" + p + "']",
                        containsInAnyOrder("pull", "scanner-pull"));

        // Asked for pull, as any client asks, the robot gets scanner-pull with it; asked for push, nothing.
        String robot = "robot$" + p + "+scanner";
        assertEquals(List.of(new Scope("repository", p + "/app", Set.of("pull", "scanner-pull"))),
                verify(token(robot, secret, "repository:" + p + "/app:pull")).access());
        assertEquals(List.of(), verify(token(robot, secret, "repository:" + p + "/app:push")).access());

        // Nobody else gets it, not even a system administrator or the project's admin asking by name.
        assertEquals(List.of(new Scope("repository", p + "/app", Set.of("pull"))),
                verify(token("developer", "berth-dev", "repository:" + p + "/app:pull,scanner-pull")).access());
        assertEquals(List.of(new Scope("repository", p + "/app", Set.of("pull", "push", "delete"))),
                verify(token("admin", ADMIN_PASSWORD, "repository:" + p + "/app:*")).access());

        // A system robot may hold it too, per project.
        String other = newProject();
        String name = "scan-" + System.nanoTime();
        String sysSecret = admin().body(Map.of("name", name, "permissions",
                        Map.of(p, List.of("pull", "scanner-pull"), other, List.of("pull"))))
                .when().post("/api/v1/robots").then().statusCode(201).extract().path("secret");
        var access = verify(token("robot$" + name, sysSecret, "repository:" + p + "/a:pull",
                "repository:" + other + "/b:pull")).access();
        assertEquals(Set.of("pull", "scanner-pull"), access.get(0).actions());
        assertEquals(Set.of("pull"), access.get(1).actions());
    }

    private static String token(String user, String password, String... scopes) {
        var request = given().auth().preemptive().basic(user, password);
        for (String scope : scopes) {
            request = request.queryParam("scope", scope);
        }
        return request.when().get("/service/token").then().statusCode(200).extract().path("token");
    }
}
