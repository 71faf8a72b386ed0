package io.berth.scanner.scanners;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.scanner.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scanner registry API against the real PostgreSQL, with berth's own Pluggable Scanner API
 * (this service's /scanner) as the adapter that is registered.
 */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class ScannerResourceTest {

    static final String KEY = "test-pluggable-api-key-0123456789";

    @TestHTTPResource("/scanner")
    URL self;

    @Inject
    DataSource db;

    @Inject
    ScannerRegistry registry;

    @BeforeEach
    @AfterEach
    void clean() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM project_scanners");
            s.execute("UPDATE scanners SET is_default = (kind = 'builtin')");
            s.execute("DELETE FROM scanners WHERE kind = 'adapter'");
            s.execute("DELETE FROM projects WHERE name = 'scan-proj'");
            s.execute("INSERT INTO projects (name) VALUES ('scan-proj')");
        }
    }

    String adapter(String name) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + self + "\",\"auth\":\"api-key\",\"secret\":\"" + KEY
                + "\",\"description\":\"berth itself\"}";
    }

    io.restassured.response.Response register(String body) {
        return given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON).body(body)
                .post("/api/v1/scanners");
    }

    @Test
    void onlyAdministratorsManageScanners() {
        given().get("/api/v1/scanners").then().statusCode(401);
        given().header("Authorization", TestAuth.DEVELOPER).get("/api/v1/scanners").then().statusCode(403)
                .body("errors[0].code", equalTo("FORBIDDEN"));
        given().header("Authorization", TestAuth.DEVELOPER).contentType(ContentType.JSON).body(adapter("x"))
                .post("/api/v1/scanners").then().statusCode(403);
        given().header("Authorization", TestAuth.DEVELOPER).get("/api/v1/projects/scan-proj/../../scanners").then()
                .statusCode(403);
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners").then().statusCode(200)
                .body("name", hasItem("berth")).body("find { it.name == 'berth' }.default", equalTo(true));
    }

    @Test
    void registersAnAdapterAfterReadingItsMetadataAndNeverShowsTheSecret() throws Exception {
        String created = register(adapter("self")).then().statusCode(201).header("Location", "/api/v1/scanners/self")
                .body("kind", equalTo("adapter")).body("auth", equalTo("api-key")).body("secretSet", equalTo(true))
                .body("default", equalTo(false)).extract().asString();
        assertFalse(created.contains(KEY), created);
        String listed = given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners").asString();
        assertFalse(listed.contains(KEY), listed);
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners/self/metadata").then().statusCode(200)
                .body("scanner.name", equalTo("berth"));
        // Stored encrypted; the registry decrypts it for the client.
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT auth_secret FROM scanners WHERE name = 'self'");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            byte[] sealed = rs.getBytes(1);
            assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains(KEY));
        }
        assertEquals(KEY, registry.endpoint(registry.find("self").orElseThrow()).secret());
        register(adapter("self")).then().statusCode(409);
    }

    @Test
    void aUrlThatDoesNotAnswerTheSpecIsRefusedWithWhy() {
        register(adapter("bad").replace(KEY, "wrong-key-wrong-key")).then().statusCode(400)
                .body("errors[0].message", containsString("unauthorized"));
        register("{\"name\":\"nothing\",\"url\":\"http://127.0.0.1:1\"}").then().statusCode(400)
                .body("errors[0].message", containsString("unreachable"));
        register("{\"name\":\"notspec\",\"url\":\"" + self.toString().replace("/scanner", "/api/v1/system") + "\"}")
                .then().statusCode(400).body("errors[0].message", containsString("Pluggable Scanner API"));
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners/bad").then().statusCode(404);
    }

    @Test
    void badBodiesAre400NamingTheField() {
        register("{\"name\":\"Bad Name\",\"url\":\"http://x\"}").then().statusCode(400)
                .body("errors[0].message", containsString("name"));
        register("{\"name\":\"a\",\"url\":\"http://u:p@x\"}").then().statusCode(400)
                .body("errors[0].message", containsString("no user"));
        register("{\"name\":\"a\",\"url\":\"http://x\",\"auth\":\"basic\",\"secret\":\"nocolon\"}").then()
                .statusCode(400).body("errors[0].message", containsString("user:password"));
        register("{\"name\":\"a\",\"url\":\"http://x\",\"auth\":\"bearer\"}").then().statusCode(400)
                .body("errors[0].message", containsString("needs a secret"));
        register("{\"name\":\"a\",\"url\":\"http://x\",\"auth\":\"kerberos\"}").then().statusCode(400);
        register("{\"name\":\"a\",\"url\":\"http://x\",\"colour\":\"red\"}").then().statusCode(400)
                .body("errors[0].message", containsString("unknown field colour"));
        register("[]").then().statusCode(400);
    }

    @Test
    void theBuiltinScannerStaysAndTheDefaultMoves() {
        register(adapter("self")).then().statusCode(201);
        given().header("Authorization", TestAuth.ADMIN).delete("/api/v1/scanners/berth").then().statusCode(409)
                .body("errors[0].message", containsString("cannot be deleted"));
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON)
                .body("{\"url\":\"http://elsewhere\"}").put("/api/v1/scanners/berth").then().statusCode(400);
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON)
                .body("{\"description\":\"ours\"}").put("/api/v1/scanners/berth").then().statusCode(200)
                .body("description", equalTo("ours"));
        given().header("Authorization", TestAuth.ADMIN).post("/api/v1/scanners/self/default").then().statusCode(200)
                .body("default", equalTo(true));
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners/berth").then().body("default", equalTo(false));
        given().header("Authorization", TestAuth.ADMIN).delete("/api/v1/scanners/self").then().statusCode(409);
        given().header("Authorization", TestAuth.ADMIN).post("/api/v1/scanners/berth/default").then().statusCode(200);
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON)
                .body("{\"description\":\"changed\",\"secret\":\"" + KEY + "\"}").put("/api/v1/scanners/self").then()
                .statusCode(200).body("description", equalTo("changed")).body(not(containsString(KEY)));
        given().header("Authorization", TestAuth.ADMIN).delete("/api/v1/scanners/self").then().statusCode(204);
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/scanners/self").then().statusCode(404);
    }

    @Test
    void aProjectAdminChoosesTheProjectsScanner() {
        register(adapter("self")).then().statusCode(201);
        TestAuth.grant("owner", "scan-proj", "projectAdmin");
        TestAuth.grant("dev", "scan-proj", "developer");
        given().header("Authorization", TestAuth.OWNER).get("/api/v1/projects/scan-proj/scanner").then().statusCode(200)
                .body("scanner.name", equalTo("berth")).body("inherited", equalTo(true));
        given().header("Authorization", TestAuth.DEVELOPER).get("/api/v1/projects/scan-proj/scanner").then()
                .statusCode(403);
        given().header("Authorization", TestAuth.OWNER).contentType(ContentType.JSON).body("{\"scanner\":\"self\"}")
                .put("/api/v1/projects/scan-proj/scanner").then().statusCode(200).body("scanner.name", equalTo("self"))
                .body("inherited", equalTo(false)).body(not(containsString(KEY)));
        given().header("Authorization", TestAuth.OWNER).contentType(ContentType.JSON).body("{\"scanner\":\"nope\"}")
                .put("/api/v1/projects/scan-proj/scanner").then().statusCode(400);
        given().header("Authorization", TestAuth.ADMIN).contentType(ContentType.JSON).body("{\"scanner\":null}")
                .put("/api/v1/projects/scan-proj/scanner").then().statusCode(200).body("scanner.name", equalTo("berth"))
                .body("inherited", equalTo(true));
        given().header("Authorization", TestAuth.ADMIN).get("/api/v1/projects/no-such-proj/scanner").then()
                .statusCode(404);
    }
}
