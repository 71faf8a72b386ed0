package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keycloak access tokens as bearer credentials of the management API, as the console and scripts
 * send them, against the real Keycloak: accepted from berth's clients, refused when forged,
 * altered, another client's, or not an access token.
 */
@QuarkusTest
class BearerApiTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void aConsoleTokenIsThePersonWithTheirRolesAndGroups() {
        String token = Fixtures.keycloakToken("developer", "berth-dev");
        given().auth().oauth2(token).when().get("/api/v1/users/current").then().statusCode(200)
                .body("username", equalTo("developer")).body("admin", equalTo(false))
                .body("groups", hasItem("berth-readers"));
        given().auth().oauth2(Fixtures.keycloakToken("admin", Fixtures.ADMIN_PASSWORD))
                .when().get("/api/v1/users/current").then().statusCode(200).body("admin", equalTo(true));

        // What the console does: a project, and a CLI secret for docker login.
        String p = "bearer-" + System.nanoTime();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", p))
                .when().post("/api/v1/projects").then().statusCode(201);
        given().auth().oauth2(token).when().get("/api/v1/projects/" + p + "/members").then().statusCode(200)
                .body("find { it.username == 'developer' }.role", equalTo("projectAdmin"));
        String secret = given().auth().oauth2(token).when().post("/api/v1/users/current/cli-secret")
                .then().statusCode(201).extract().path("secret");
        given().auth().preemptive().basic("developer", secret).when().get("/service/token").then().statusCode(200);
    }

    @Test
    void anAlteredTokenIsRefused() {
        String[] parts = Fixtures.keycloakToken("developer", "berth-dev").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = claims.replace("\"roles\":[", "\"roles\":[\"berth-admin\",");
        assertNotEquals(claims, promoted);
        refused(parts[0] + "." + B64.encodeToString(promoted.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4) + "AAAA");
    }

    @Test
    void aTokenSignedWithAKeyKeycloakDoesNotHoldIsRefused() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        var keys = pair.generateKeyPair();
        String[] real = Fixtures.keycloakToken("developer", "berth-dev").split("\\.");
        // The real token's claims, under our own key, once with an unknown kid and once with
        // Keycloak's own kid.
        String realHeader = new String(Base64.getUrlDecoder().decode(real[0]), StandardCharsets.UTF_8);
        for (String header : new String[] {"{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"forged\"}", realHeader}) {
            String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + real[1];
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            refused(signingInput + "." + B64.encodeToString(rsa.sign()));
        }
        // alg none and HMAC are refused before any key is looked up.
        String none = B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + real[1] + ".";
        refused(none);
    }

    @Test
    void tokensOfOtherClientsIdTokensAndExpiredTokensAreRefused() {
        // berth-auth's own tokens (its direct grant) are not console tokens; nor is another realm's.
        refused(Fixtures.keycloakLogin("berth", "berth-auth", "developer", "berth-dev", "openid").path("access_token").asText());
        refused(Fixtures.keycloakLogin("master", "admin-cli", "admin", Fixtures.ADMIN_PASSWORD, "openid")
                .path("access_token").asText());
        var login = Fixtures.keycloakLogin("berth", "berth-cli", "developer", "berth-dev", "openid");
        refused(login.path("id_token").asText());
        refused(login.path("refresh_token").asText());
        String[] parts = login.path("access_token").asText().split("\\.");
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"exp\":\\d+", "\"exp\":" + past);
        refused(parts[0] + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        refused("not-a-jwt");
    }

    private static void refused(String token) {
        given().auth().oauth2(token).when().get("/api/v1/users/current").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }
}
