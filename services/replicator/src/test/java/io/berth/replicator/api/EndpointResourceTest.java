package io.berth.replicator.api;

import static io.berth.testing.WireErrorAssertions.assertApiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.replicator.support.Distribution;
import io.berth.replicator.support.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints API against real PostgreSQL and a real remote (Debian's docker-registry with htpasswd). */
@QuarkusTest
@QuarkusTestResource(TestAuth.class)
class EndpointResourceTest {

    private static final String BASE = "/api/v1/replication/endpoints";
    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters())
                    + " " + record.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static Distribution remote;

    @Inject
    DataSource db;

    @BeforeAll
    static void start() throws Exception {
        remote = Distribution.withPassword();
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(CAPTURE);
        remote.close();
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", TestAuth.ADMIN).contentType("application/json");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String name, String url, String password) {
        return "{\"name\":\"" + name + "\",\"type\":\"distribution\",\"url\":\"" + url + "\",\"credential\":"
                + (password == null ? "{\"type\":\"none\"}" : "{\"type\":\"basic\",\"username\":\"" + Distribution.USER
                + "\",\"password\":\"" + password + "\"}") + "}";
    }

    private static long create(String body) {
        return admin().body(body).when().post(BASE).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void registersShowsChangesAndDeletesWithoutEverShowingThePassword() throws Exception {
        String name = unique("dc2");
        String password = Distribution.PASSWORD;
        io.restassured.response.Response created = admin().body(body(name, remote.url() + "/", password)).when().post(BASE);
        created.then().statusCode(201)
                .body("name", equalTo(name)).body("type", equalTo("distribution"))
                .body("url", equalTo(remote.url())).body("insecure", equalTo(false))
                .body("credential.type", equalTo("basic")).body("credential.username", equalTo(Distribution.USER))
                .body("credential.passwordSet", equalTo(true)).body("credential.password", nullValue())
                .body("createdBy", equalTo("admin")).body("updatedBy", equalTo("admin"));
        long id = created.jsonPath().getLong("id");
        assertEquals(BASE + "/" + id, created.header("Location"));
        assertFalse(created.asString().contains(password));

        // Stored sealed: the column holds neither the password nor anything that opens without the key.
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT secret, credential_kind FROM replication_endpoints WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("basic", rs.getString(2));
                String stored = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1);
                assertFalse(stored.contains(password));
                assertEquals(12 + password.length() + 16, rs.getBytes(1).length);
            }
        }

        String listed = admin().when().get(BASE).then().statusCode(200).extract().asString();
        assertTrue(listed.contains(name));
        assertFalse(listed.contains(password));
        admin().when().get(BASE + "/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("credential.passwordSet", equalTo(true));

        // Renamed and described: the password is kept (sealed again under the new name) and still works.
        String renamed = unique("dc3");
        admin().body("{\"name\":\"" + renamed + "\",\"description\":\"the other site\"}").when().put(BASE + "/" + id)
                .then().statusCode(200).body("name", equalTo(renamed)).body("description", equalTo("the other site"))
                .body("credential.username", equalTo(Distribution.USER));
        admin().when().post(BASE + "/" + id + "/ping").then().statusCode(200).body("ok", equalTo(true))
                .body("auth", equalTo("basic")).body("apiVersion", equalTo("registry/2.0"));

        // Credentials dropped: the remote now asks for them.
        admin().body("{\"credential\":{\"type\":\"none\"}}").when().put(BASE + "/" + id).then().statusCode(200)
                .body("credential.type", equalTo("none")).body("credential.username", nullValue());
        admin().when().post(BASE + "/" + id + "/ping").then().statusCode(200).body("ok", equalTo(false))
                .body("error", equalTo("unauthorized")).body("message", containsString("needs credentials"));

        admin().when().delete(BASE + "/" + id).then().statusCode(204);
        assertApiError(admin().when().get(BASE + "/" + id), 404, "NOT_FOUND");
        assertApiError(admin().when().delete(BASE + "/" + id), 404, "NOT_FOUND");
        assertApiError(admin().when().get(BASE + "/not-a-number"), 404, "NOT_FOUND");
        // The capture works (the changes were logged), and no line holds the password.
        assertTrue(LOGGED.stream().anyMatch(l -> l.contains("registered replication endpoint")), LOGGED::toString);
        assertTrue(LOGGED.stream().noneMatch(l -> l.contains(password)), "a log line holds the password");
    }

    @Test
    void pingTellsEachFailureApart() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        long id = create(body(unique("wrong"), remote.url(), wrong));
        admin().when().post(BASE + "/" + id + "/ping").then().statusCode(200).body("ok", equalTo(false))
                .body("error", equalTo("unauthorized")).body("status", equalTo(401))
                .body("message", containsString("wrong user name or password"));
        long dns = create(body(unique("dns"), "http://registry.no-such-site.invalid", null));
        admin().when().post(BASE + "/" + dns + "/ping").then().statusCode(200).body("ok", equalTo(false))
                .body("error", equalTo("dns"));
        long refused = create(body(unique("refused"), "http://127.0.0.1:" + Distribution.freePort(), null));
        admin().when().post(BASE + "/" + refused + "/ping").then().statusCode(200).body("ok", equalTo(false))
                .body("error", equalTo("connection-refused"));
        // Before saving: the same check on a create body.
        JsonPath unsaved = admin().body(body("unsaved", remote.url(), Distribution.PASSWORD)).when().post(BASE + "/ping")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(true, unsaved.getBoolean("ok"));
        assertApiError(admin().when().get(BASE + "/" + 0), 404, "NOT_FOUND");
        assertTrue(LOGGED.stream().noneMatch(l -> l.contains(wrong) || l.contains(Distribution.PASSWORD)),
                "a log line holds a password");
    }

    @Test
    void aTakenNameIsAConflict() {
        String name = unique("taken");
        create(body(name, remote.url(), null));
        assertApiError(admin().body(body(name, "http://127.0.0.1:1", null)).when().post(BASE), 409, "CONFLICT");
        long other = create(body(unique("other"), remote.url(), null));
        assertApiError(admin().body("{\"name\":\"" + name + "\"}").when().put(BASE + "/" + other), 409, "CONFLICT");
    }

    @Test
    void badBodiesAre400NamingTheFault() {
        String ok = "\"type\":\"distribution\",\"url\":\"https://r.example.com\"";
        List<String[]> cases = List.of(
                new String[] {"not json", "JSON"},
                new String[] {"[]", "JSON object"},
                new String[] {"{" + ok + "}", "name is required"},
                new String[] {"{\"name\":\"Bad Name\"," + ok + "}", "name must be"},
                new String[] {"{\"name\":\"a\",\"type\":\"ftp\",\"url\":\"https://r.example.com\"}", "type must be one of"},
                new String[] {"{\"name\":\"a\",\"url\":\"https://r.example.com\"}", "type is required"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\"}", "url is required"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"ftp://r.example.com\"}", "http:// or https://"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"https://u:p@r.example.com\"}", "credentials"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"https://r.example.com/v2/\"}", "without /v2"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"https:///x\"}", "host"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"https://r.example.com?x=1\"}", "query"},
                new String[] {"{\"name\":\"a\",\"type\":\"quay\",\"url\":\"http://[::1\"}", "not a URL"},
                new String[] {"{\"name\":\"a\"," + ok + ",\"insecure\":\"yes\"}", "insecure must be true or false"},
                new String[] {"{\"name\":\"a\"," + ok + ",\"password\":\"x\"}", "unknown field password"},
                new String[] {"{\"name\":\"a\"," + ok + ",\"credential\":{\"type\":\"basic\",\"username\":\"u\"}}",
                    "credential.password is required"},
                new String[] {"{\"name\":\"a\"," + ok + ",\"credential\":{\"type\":\"token\"}}", "basic or none"},
                new String[] {"{\"name\":\"a\"," + ok + ",\"credential\":{\"type\":\"basic\",\"username\":\"a:b\","
                    + "\"password\":\"p\"}}", "without ':'"});
        for (String[] c : cases) {
            io.restassured.response.Response r = admin().body(c[0]).when().post(BASE);
            assertApiError(r, 400, "BAD_REQUEST");
            assertTrue(r.jsonPath().getString("errors[0].message").contains(c[1]),
                    c[0] + " -> " + r.asString());
        }
        // Docker Hub needs no URL.
        admin().body("{\"name\":\"" + unique("hub") + "\",\"type\":\"docker-hub\"}").when().post(BASE).then()
                .statusCode(201).body("url", equalTo("https://registry-1.docker.io"));
        long id = create(body(unique("keep"), remote.url(), Distribution.PASSWORD));
        // A new user name needs its password.
        assertApiError(admin().body("{\"credential\":{\"type\":\"basic\",\"username\":\"someone\"}}").when()
                .put(BASE + "/" + id), 400, "BAD_REQUEST");
        assertApiError(admin().body("{\"url\":\"nope\"}").when().put(BASE + "/" + id), 400, "BAD_REQUEST");
    }
}
