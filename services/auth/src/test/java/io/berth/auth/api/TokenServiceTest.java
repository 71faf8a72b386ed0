package io.berth.auth.api;

import static io.berth.auth.api.Fixtures.ADMIN_PASSWORD;
import static io.berth.auth.api.Fixtures.DB;
import static io.berth.auth.api.Fixtures.member;
import static io.berth.auth.api.Fixtures.project;
import static io.berth.auth.api.Fixtures.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.service.SigningKeys;
import io.berth.security.Scope;
import io.berth.security.token.Jwks;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.berth.security.token.TokenVerifier;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.interfaces.ECPublicKey;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint and the JWKS against the real PostgreSQL: tokens verify with the published
 * keys, anonymous callers get pull in public projects and nothing else, and a key rotation
 * leaves earlier tokens valid until their key is no longer published.
 */
@QuarkusTest
class TokenServiceTest {

    // The local realm's users (deploy/local/keycloak/berth-realm.json, deploy/local/lib/common.sh).
    private static final String DEVELOPER = "developer";
    private static final String DEVELOPER_PASSWORD = "berth-dev";

    @Inject
    SigningKeys keys;

    @Test
    void anonymousCallersMayPullFromPublicProjectsOnly() {
        String open = project(true);
        String closed = project(false);

        Response answer = given().queryParam("service", "berth")
                .queryParam("scope", "repository:" + open + "/app:pull,push")
                .queryParam("scope", "repository:" + closed + "/app:pull")
                .queryParam("scope", "registry:catalog:*")
                .when().get("/service/token");

        answer.then().statusCode(200).header("Cache-Control", "no-store")
                .body("expires_in", equalTo(300)).body("issued_at", containsString("T"));
        assertEquals(answer.path("token"), (String) answer.path("access_token"));
        RegistryToken token = verify(answer.path("token"));
        assertEquals(List.of(new Scope("repository", open + "/app", Set.of("pull"))), token.access());
        assertEquals("berth", token.audience());
        assertEquals("berth-auth", token.issuer());
        assertEquals(Duration.ofMinutes(5), Duration.between(token.issuedAt(), token.expiresAt()));
    }

    @Test
    void aWildcardAsksForEverythingAndGetsWhatIsAllowed() {
        String open = project(true);
        RegistryToken token = verify(given().queryParam("scope", "repository:" + open + "/app:*")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(List.of(new Scope("repository", open + "/app", Set.of("pull"))), token.access());
    }

    @Test
    void noScopeIsALoginCheckAndGetsAnEmptyToken() {
        RegistryToken token = verify(given().when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertTrue(token.access().isEmpty());
    }

    @Test
    void badRequestsAreRefusedWithAClearAnswer() {
        given().queryParam("service", "elsewhere").when().get("/service/token")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        given().queryParam("scope", "repository-without-actions").when().get("/service/token")
                .then().statusCode(400).body("errors[0].code", equalTo("BAD_REQUEST"));
        // Credentials Keycloak does not know are refused, never taken as anonymous.
        given().auth().preemptive().basic("no-such-user-" + System.nanoTime(), "secret").when().get("/service/token")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
        given().auth().preemptive().basic(DEVELOPER, "not-the-password").when().get("/service/token")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        // Robot accounts do not exist yet: refused, not looked up in Keycloak.
        given().auth().preemptive().basic("robot$" + DEVELOPER, DEVELOPER_PASSWORD).when().get("/service/token")
                .then().statusCode(401);
        given().header("Authorization", "Basic not-base64!").when().get("/service/token").then().statusCode(401);
    }

    @Test
    void aUserGetsTheirRolesActionsAndNeverMore() throws SQLException {
        String mine = project(false);
        String theirs = project(false);
        String open = project(true);
        member(mine, "user", DEVELOPER, "developer");

        // docker login: right credentials and no scope is 200.
        RegistryToken login = verify(given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD)
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(DEVELOPER, login.subject());
        assertTrue(login.access().isEmpty());

        RegistryToken token = verify(given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD)
                .queryParam("scope", "repository:" + mine + "/app:pull,push,delete")
                .queryParam("scope", "repository:" + theirs + "/app:pull")
                .queryParam("scope", "repository:" + open + "/app:*")
                .queryParam("scope", "registry:catalog:*")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(List.of(
                new Scope("repository", mine + "/app", Set.of("pull", "push")),
                new Scope("repository", open + "/app", Set.of("pull"))), token.access());
    }

    @Test
    void theOAuth2FormGivesTheSameGrants() throws SQLException {
        String mine = project(false);
        String open = project(true);
        member(mine, "user", DEVELOPER, "maintainer");

        Response answer = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("service", "berth").formParam("client_id", "containerd")
                .formParam("username", DEVELOPER).formParam("password", DEVELOPER_PASSWORD)
                .formParam("scope", "repository:" + mine + "/app:pull,push,delete repository:" + open + "/app:push")
                .when().post("/service/token");
        answer.then().statusCode(200).body("expires_in", equalTo(300))
                .body("scope", equalTo("repository:" + mine + "/app:pull,push,delete"));
        assertEquals(List.of(new Scope("repository", mine + "/app", Set.of("pull", "push", "delete"))),
                verify(answer.path("access_token")).access());

        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", DEVELOPER).formParam("password", "wrong")
                .when().post("/service/token").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", "anything").when().post("/service/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .when().post("/service/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void aSystemAdministratorMayDoEverythingIncludingTheCatalog() {
        String theirs = project(false);
        RegistryToken token = verify(given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .queryParam("scope", "repository:" + theirs + "/app:delete,pull")
                .queryParam("scope", "registry:catalog:*")
                .when().get("/service/token").then().statusCode(200).extract().path("token"));
        assertEquals(List.of(
                new Scope("repository", theirs + "/app", Set.of("delete", "pull")),
                new Scope("registry", "catalog", Set.of("*"))), token.access());
    }

    @Test
    void anAdministratorMayRotateTheKeyThroughTheApiAndNobodyElse() throws SQLException {
        String oldKid = keys.active().kid();
        given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD).when().post("/api/v1/system/signing-keys/rotate")
                .then().statusCode(403);
        var answer = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).when().post("/api/v1/system/signing-keys/rotate")
                .then().statusCode(200).extract();
        String kid = answer.path("kid");
        assertNotEquals(oldKid, kid);
        // Published at once, signing a minute later (publish-ahead).
        assertTrue(Jwks.parse(keys.jwks()).containsKey(kid));
        assertEquals(oldKid, keys.active().kid());
        Duration ahead = Duration.between(Instant.now(), Instant.parse(answer.path("signsFrom")));
        assertTrue(ahead.compareTo(Duration.ofSeconds(50)) > 0 && ahead.compareTo(Duration.ofSeconds(61)) < 0, ahead.toString());
        assertEquals(1, Fixtures.events("io.berth.signing_key.rotated.v1", kid, "\"actor\": \"admin\""));
        switchNow(oldKid, kid);
    }

    @Test
    void aRotationPublishesTheNewKeyFirstAndKeepsTheOldOneUntilItsTokensExpire() throws SQLException {
        String before = given().when().get("/service/token").then().statusCode(200).extract().path("token");
        String oldKid = keys.active().kid();

        SigningKeys.Scheduled next = keys.rotate();
        assertNotEquals(oldKid, next.kid());
        assertTrue(Jwks.parse(keys.jwks()).containsKey(next.kid()), "the new key is published before it signs");
        String meanwhile = given().when().get("/service/token").then().statusCode(200).extract().path("token");
        assertEquals(oldKid, kid(meanwhile), "the old key signs until the new one's time comes");

        switchNow(oldKid, next.kid());
        String after = given().when().get("/service/token").then().statusCode(200).extract().path("token");
        assertEquals(next.kid(), kid(after));

        verify(before);
        verify(after);
        Map<String, ECPublicKey> published = Jwks.parse(given().when().get("/.well-known/jwks.json")
                .then().statusCode(200).extract().asString());
        assertTrue(published.containsKey(oldKid) && published.containsKey(next.kid()), published.keySet().toString());

        // Once the old key's last token has expired, it leaves the JWKS and its tokens fail.
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("UPDATE signing_keys SET publish_until = now() - interval '1 second' WHERE kid = ?")) {
            ps.setString(1, oldKid);
            assertEquals(1, ps.executeUpdate());
        }
        assertFalse(Jwks.parse(keys.jwks()).containsKey(oldKid));
        assertThrows(TokenException.class, () -> verify(before));
        verify(after);
    }

    /** Moves a scheduled switch from {@code oldKid} to {@code newKid} to now, as if publish-ahead had passed. */
    private void switchNow(String oldKid, String newKid) throws SQLException {
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("""
                        UPDATE signing_keys SET signs_from = now() - interval '1 second' WHERE kid = ?;
                        UPDATE signing_keys SET retired_at = now() - interval '1 second',
                            publish_until = now() + interval '6 minutes' WHERE kid = ?""")) {
            ps.setString(1, newKid);
            ps.setString(2, oldKid);
            ps.execute();
        }
        keys.refresh();
        assertEquals(newKid, keys.active().kid());
    }

    /** The {@code kid} in a JWT's header. */
    private static String kid(String jwt) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.')))).path("kid").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameGrantsGetTheSameTokenForAWhileAndOtherGrantsANewOne() throws SQLException {
        String mine = project(false);
        member(mine, "user", DEVELOPER, "developer");
        String scope = "repository:" + mine + "/app:pull,push";

        Response first = given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD).queryParam("scope", scope)
                .when().get("/service/token");
        Response second = given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD).queryParam("scope", scope)
                .when().get("/service/token");
        first.then().statusCode(200);
        second.then().statusCode(200);
        // Signed once (docs/adr/0026): the second answer is the first token, with what is left of its life.
        assertEquals((String) first.path("token"), (String) second.path("token"));
        assertEquals((String) first.path("issued_at"), (String) second.path("issued_at"));
        assertTrue(second.<Integer>path("expires_in") <= 300 && second.<Integer>path("expires_in") >= 270,
                "expires_in " + second.path("expires_in"));

        // A role changed: the grants differ, so a new token says so at once.
        Fixtures.sql("UPDATE project_members SET role = 'guest' WHERE member_name = '" + DEVELOPER
                + "' AND project_id = (SELECT id FROM projects WHERE name = '" + mine + "')");
        Response demoted = given().auth().preemptive().basic(DEVELOPER, DEVELOPER_PASSWORD).queryParam("scope", scope)
                .when().get("/service/token");
        assertNotEquals((String) first.path("token"), (String) demoted.path("token"));
        assertEquals(List.of(new Scope("repository", mine + "/app", Set.of("pull"))),
                verify(demoted.path("token")).access());
    }

    @Test
    void aProjectMadePrivateStopsAnonymousPullsOnEveryReplicaWithinTwoSeconds() throws Exception {
        String open = project(true);
        String scope = "repository:" + open + "/app:pull";
        assertEquals(1, verify(given().queryParam("scope", scope).when().get("/service/token")
                .then().statusCode(200).extract().path("token")).access().size());

        // Straight in the database, as another replica's change would arrive: only the trigger's
        // notification can tell this replica's remembered visibility that it is stale.
        Fixtures.sql("UPDATE projects SET public = false WHERE name = '" + open + "'");
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        List<Scope> access;
        do {
            Thread.sleep(50);
            access = verify(given().queryParam("scope", scope).when().get("/service/token")
                    .then().statusCode(200).extract().path("token")).access();
        } while (!access.isEmpty() && System.nanoTime() < deadline);
        assertTrue(access.isEmpty(), "anonymous pull still granted 2 s after the project became private");

        Fixtures.sql("DELETE FROM projects WHERE name = '" + open + "'");
    }

    @Test
    void privateKeysAreNotStoredInTheClear() throws SQLException {
        var active = keys.active();
        try (var c = DriverManager.getConnection(DB, "berth", "berth");
                var ps = c.prepareStatement("SELECT private_key FROM signing_keys WHERE kid = ?")) {
            ps.setString(1, active.kid());
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                byte[] stored = rs.getBytes(1);
                byte[] pkcs8 = active.privateKey().getEncoded();
                assertFalse(contains(stored, java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)),
                        "the private key's bytes appear in the database");
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
