package io.berth.registry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Basic credentials on {@code /v2} and {@code /api/v1} (ADR 0020), against {@link TestTokenEndpoint}
 * standing in for auth, with the revocation listener on the real berth_test database.
 */
@QuarkusTest
class DelegatedCredentialsTest {

    private static final String REALM = "Bearer realm=\"http://127.0.0.1:5000/service/token\",service=\"berth\"";

    @Inject
    DelegatedCredentials basic;

    private String repository;

    @BeforeEach
    void listening() throws InterruptedException {
        TestTokenEndpoint.awaitLive(basic);
        repository = TestProjects.create("basic") + "/app";
    }

    @Test
    void rightCredentialsGetExactlyTheScopesTheRequestNeeds() {
        given().header("Authorization", basic("reader", "pw")).when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        assertEquals(List.of("repository:" + repository + ":pull"), last("reader").scopes());

        // A reader's token has no push: the answer is the challenge, as with a bearer pull token.
        given().header("Authorization", basic("reader", "pw")).when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(REALM + ",scope=\"repository:" + repository + ":pull,push\","
                        + "error=\"insufficient_scope\""));
        given().header("Authorization", basic("pusher", "pw")).when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(202);
        given().header("Authorization", basic("pusher", "pw")).when().get("/v2/").then().statusCode(200);
        assertEquals(List.of(), last("pusher").scopes(), "/v2/ asks for a login only");
    }

    @Test
    void aBlobPushedWithBasicKeepsItsBodyWhileAuthIsAsked() throws Exception {
        byte[] blob = ("a blob pushed with Basic " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(blob));
        given().header("Authorization", basic("pusher", "pw")).contentType("application/octet-stream").body(blob)
                .when().post("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", equalTo(digest));
        byte[] read = given().header("Authorization", basic("reader", "pw")).when().get("/v2/" + repository + "/blobs/" + digest)
                .then().statusCode(200).extract().asByteArray();
        assertEquals(new String(blob, StandardCharsets.UTF_8), new String(read, StandardCharsets.UTF_8));
    }

    @Test
    void aPushWithBasicIsAuditedWithItsPrincipal() {
        var config = io.berth.registry.support.RegistryRows.blob(repository, io.berth.oci.MediaTypes.OCI_CONFIG,
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + Math.random() + "\"}");
        byte[] manifest = io.berth.registry.support.ManifestJson.image(io.berth.oci.MediaTypes.OCI_MANIFEST, config, List.of());
        given().header("Authorization", basic("pusher", "pw")).contentType(io.berth.oci.MediaTypes.OCI_MANIFEST)
                .body(manifest).when().put("/v2/" + repository + "/manifests/v1").then().statusCode(201);
        var rows = io.berth.registry.support.RegistryRows.outbox(repository);
        assertEquals("pusher", rows.get(0).payload().path("data").path("actor").asText());
    }

    @Test
    void wrongCredentialsGetTheChallenge() {
        given().header("Authorization", basic("reader", "not-pw")).when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(REALM + ",scope=\"repository:" + repository + ":pull\""))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", basic("reader", "not-pw")).when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(401);
        assertEquals(asked + 1, TestTokenEndpoint.ASKED.size(), "a refusal is never cached");
    }

    @Test
    void headersThatAreNotBasicCredentialsAreRefusedWithoutAskingAuth() {
        int asked = TestTokenEndpoint.ASKED.size();
        for (String bad : List.of("Basic %%%not-base64%%%", "Basic " + b64("no-colon"), "Basic " + b64(":pw"),
                "Basic " + b64("reader:" + "x".repeat(5000)))) {
            given().header("Authorization", bad).when().get("/v2/" + repository + "/tags/list")
                    .then().statusCode(401).header("WWW-Authenticate", equalTo(REALM + ",scope=\"repository:"
                            + repository + ":pull\""))
                    .body("errors[0].code", equalTo("UNAUTHORIZED"))
                    .body("errors[0].detail.reason", containsString("Basic"));
        }
        given().header("Authorization", "Basic %%%").when().get("/api/v1/projects/team/repositories")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        assertEquals(asked, TestTokenEndpoint.ASKED.size());
    }

    @Test
    void aTenMegabyteHeaderIsRefusedByTheHttpLayer() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ").getBytes(StandardCharsets.US_ASCII));
            String status;
            try {
                byte[] chunk = "A".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 160; i++) {
                    out.write(chunk);
                }
                out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                status = statusLine(socket.getInputStream());
            } catch (IOException closed) {
                status = statusLine(socket.getInputStream()); // the server answered and closed early
            }
            assertTrue(status.startsWith("HTTP/1.1 431") || status.startsWith("HTTP/1.1 413"), status);
        }
    }

    @Test
    void aSecondRequestIsServedFromTheCacheUntilANotifyEvictsIt() {
        String header = basic("pusher", "pw");
        given().header("Authorization", header).when().get("/v2/" + repository + "/tags/list").then().statusCode(404);
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", header).when().get("/v2/" + repository + "/tags/list").then().statusCode(404);
        assertEquals(asked, TestTokenEndpoint.ASKED.size(), "the second request did not ask auth");

        TestDatabase.queryOne("SELECT pg_notify('berth_credentials', 'pusher')");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (TestTokenEndpoint.ASKED.size() == asked) {
            if (System.nanoTime() > deadline) {
                fail("still served from the cache 2 s after the NOTIFY (cache live: " + basic.live() + ")");
            }
            given().header("Authorization", header).when().get("/v2/" + repository + "/tags/list").then().statusCode(404);
        }
    }

    @Test
    void authUnreachableIs503AndLimitedIs429() {
        TestTokenEndpoint.down();
        try {
            given().header("Authorization", basic("reader", "pw")).when().get("/v2/" + repository + "/tags/list")
                    .then().statusCode(503).header("Retry-After", equalTo("5"))
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
            given().header("Authorization", basic("reader", "pw"))
                    .when().get("/api/v1/projects/" + repository.replaceFirst("/", "/repositories/") + "/artifacts")
                    .then().statusCode(503).body("errors[0].code", equalTo("UNAVAILABLE"));
        } finally {
            TestTokenEndpoint.up();
        }
        given().header("Authorization", basic("limited", "pw")).when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(429).header("Retry-After", equalTo("7"))
                .body("errors[0].code", equalTo("TOOMANYREQUESTS"));
    }

    @Test
    void whileAuthLimitsAnAccountItsCachedTokenIsNotUsed() {
        String header = basic("ci", "pw");
        given().header("Authorization", header).when().get("/v2/" + repository + "/tags/list").then().statusCode(404);
        int asked = TestTokenEndpoint.ASKED.size();
        // A guesser's wrong passwords make auth answer 429 for the account: from then on even the
        // right, cached password is refused until Retry-After, without asking auth, or a 200
        // would tell the guesser which guess was right.
        TestTokenEndpoint.limit("ci");
        try {
            given().header("Authorization", basic("ci", "guess")).when().get("/v2/" + repository + "/tags/list")
                    .then().statusCode(429);
            given().header("Authorization", header).when().get("/v2/" + repository + "/tags/list")
                    .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-7]"));
            assertEquals(asked + 1, TestTokenEndpoint.ASKED.size());
        } finally {
            TestTokenEndpoint.limit(null);
        }
    }

    @Test
    void theBrowsingApiTakesBasicCredentialsToo() {
        String project = repository.split("/")[0];
        given().header("Authorization", basic("reader", "pw")).when().get("/api/v1/projects/" + project + "/repositories")
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        assertEquals("registry:catalog:*", last("reader").scopes().get(0));
        given().header("Authorization", basic("admin", "pw")).when().get("/api/v1/projects/" + project + "/repositories")
                .then().statusCode(200);
        given().header("Authorization", basic("reader", "pw"))
                .when().delete("/api/v1/projects/" + repository.replaceFirst("/", "/repositories/") + "/artifacts/sha256:"
                        + "a".repeat(64))
                .then().statusCode(403);
        assertEquals(List.of("repository:" + repository + ":delete"), last("reader").scopes());
        given().header("Authorization", basic("reader", "wrong")).when().get("/api/v1/projects/" + project + "/repositories")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer realm="))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    private static TestTokenEndpoint.Asked last(String user) {
        var asked = TestTokenEndpoint.ASKED;
        for (int i = asked.size() - 1; i >= 0; i--) {
            if (asked.get(i).user().equals(user)) {
                return asked.get(i);
            }
        }
        throw new AssertionError(user + " never reached the token endpoint");
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
