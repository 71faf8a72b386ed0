package io.berth.registry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.berth.registry.support.TestTokens;
import io.berth.security.Scope;
import io.berth.security.token.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bearer-token gate in front of every registry route, with tokens signed by the test key. */
@QuarkusTest
class TokenAuthTest {

    private static final String REALM = "Bearer realm=\"http://127.0.0.1:5000/service/token\",service=\"berth\"";

    @Test
    void baseWithoutATokenIsChallengedWithoutScope() {
        given().header(TestTokens.ANONYMOUS, "1").when().get("/v2/")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(REALM))
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void behindAProxyTheRealmNamesTheAddressTheClientUsed() {
        given().header(TestTokens.ANONYMOUS, "1").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "registry.example.com, proxy.internal").when().get("/v2/")
                .then().statusCode(401).header("WWW-Authenticate",
                        equalTo("Bearer realm=\"https://registry.example.com/service/token\",service=\"berth\""));
        given().header(TestTokens.ANONYMOUS, "1")
                .header("Forwarded", "for=10.0.0.1;proto=https;host=\"reg.example.com:8443\", for=10.0.0.2").when().get("/v2/")
                .then().statusCode(401).header("WWW-Authenticate",
                        equalTo("Bearer realm=\"https://reg.example.com:8443/service/token\",service=\"berth\""));
        // Values that are not a scheme or a host are ignored, never echoed.
        given().header(TestTokens.ANONYMOUS, "1").header("X-Forwarded-Proto", "javascript")
                .header("X-Forwarded-Host", "evil\"/x").when().get("/v2/")
                .then().statusCode(401).header("WWW-Authenticate", equalTo(REALM));
    }

    @Test
    void baseWithAnyValidTokenIsOk() {
        given().header("Authorization", "Bearer " + TestTokens.token()).when().get("/v2/")
                .then().statusCode(200);
    }

    @Test
    void aRepositoryReadWithoutATokenNamesThePullScope() {
        given().header(TestTokens.ANONYMOUS, "1").when().get("/v2/team/app/manifests/latest")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(REALM + ",scope=\"repository:team/app:pull\""))
                .body("errors[0].detail[0].Action", equalTo("pull"));
    }

    @Test
    void aPullTokenCannotPush() {
        given().header("Authorization", "Bearer " + TestTokens.token("repository:team/app:pull"))
                .when().post("/v2/team/app/blobs/uploads/")
                .then().statusCode(401)
                .header("WWW-Authenticate", equalTo(
                        REALM + ",scope=\"repository:team/app:pull,push\",error=\"insufficient_scope\""));
    }

    @Test
    void aTokenForAnotherRepositoryDoesNotOpenThisOne() {
        given().header("Authorization", "Bearer " + TestTokens.token("repository:team/other:pull,push,delete"))
                .when().get("/v2/team/app/tags/list")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("insufficient_scope"));
    }

    @Test
    void aMountAlsoNeedsPullOnTheSource() {
        given().header("Authorization", "Bearer " + TestTokens.token("repository:team/app:push"))
                .when().post("/v2/team/app/blobs/uploads/?mount=sha256:" + "a".repeat(64) + "&from=secret/repo")
                .then().statusCode(401)
                // One challenge names both sides, so that the client asks for one token that
                // opens both (distribution answers the same way).
                .header("WWW-Authenticate", containsString(
                        "scope=\"repository:team/app:pull,push repository:secret/repo:pull\""));
    }

    @Test
    void catalogNeedsTheRegistryScope() {
        given().header("Authorization", "Bearer " + TestTokens.token("repository:team/app:pull"))
                .when().get("/v2/_catalog")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("scope=\"registry:catalog:*\""));
    }

    @Test
    void garbageExpiredOrForeignTokensAreInvalid() {
        String expired = TestTokens.SIGNER.sign("u", "berth", Duration.ofMinutes(-5),
                List.of(Scope.parse("repository:team/app:pull")));
        String otherService = TestTokens.SIGNER.sign("u", "not-berth", Duration.ofMinutes(5),
                List.of(Scope.parse("repository:team/app:pull")));
        for (String bad : List.of("garbage", expired, otherService, unknownKey(), sameKidOtherKey(), altered())) {
            given().header("Authorization", "Bearer " + bad).when().get("/v2/team/app/tags/list")
                    .then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
        given().header("Authorization", "Basic dTpw").when().get("/v2/team/app/tags/list")
                .then().statusCode(401).header("WWW-Authenticate", not(containsString("error=")));
    }

    /** A token signed by a key registry-api does not know. */
    private static String unknownKey() {
        return otherSigner("another-key").sign("u", "berth", Duration.ofMinutes(5), List.of(Scope.parse("repository:team/app:pull")));
    }

    /** A token claiming the test key's id, signed by another key. */
    private static String sameKidOtherKey() {
        return otherSigner("test-key").sign("u", "berth", Duration.ofMinutes(5), List.of(Scope.parse("repository:team/app:pull")));
    }

    /** A valid token for another repository whose payload was edited to name this one. */
    private static String altered() {
        String[] parts = TestTokens.token("repository:team/other:pull").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String edited = claims.replace("team/other", "team/app");
        if (edited.equals(claims)) {
            throw new IllegalStateException("the claims did not name the repository: " + claims);
        }
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(edited.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static TokenSigner otherSigner(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TokenSigner(kid, (ECPrivateKey) generator.generateKeyPair().getPrivate(), "berth-test", Clock.systemUTC());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void probesNeedNoToken() {
        given().header(TestTokens.ANONYMOUS, "1").when().get("/q/health/live").then().statusCode(200);
    }
}
