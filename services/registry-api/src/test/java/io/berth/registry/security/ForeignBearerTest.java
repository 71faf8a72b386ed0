package io.berth.registry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.registry.api.BrowseFixtures;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.berth.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bearer token some other issuer signed (the console's Keycloak access token) on
 * {@code /api/v1}: exchanged at auth like Basic credentials (ADR 0048), against
 * {@link TestTokenEndpoint} standing in for auth's check of Keycloak's tokens; refused on
 * {@code /v2}. The real Keycloak and auth are tests/e2e/bearer.sh's.
 */
@QuarkusTest
class ForeignBearerTest {

    private static final String CHALLENGE = "Bearer realm=\"http://127.0.0.1:5000/service/token\",service=\"berth\"";

    @Inject
    DelegatedCredentials delegated;

    private String project;
    private String repository;

    @BeforeEach
    void listening() throws InterruptedException {
        TestTokenEndpoint.awaitLive(delegated);
        project = TestProjects.create("kc");
        repository = project + "/app";
        BrowseFixtures.image(repository, "kc-" + repository, "v1");
    }

    @Test
    void aKeycloakTokenIsExchangedAtAuthWithTheScopesTheRequestNeeds() {
        String token = TestTokenEndpoint.keycloakToken("reader", Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + token).when().get(artifacts())
                .then().statusCode(200).body("[0].tags", equalTo(List.of("v1")));
        assertEquals(new TestTokenEndpoint.Asked("reader", "bearer", List.of("repository:" + repository + ":pull")),
                last());
        // A reader may not delete: auth grants no delete, the resource answers 403.
        given().header("Authorization", "Bearer " + token).when().delete(artifacts() + "/sha256:" + "a".repeat(64))
                .then().statusCode(403).body("errors[0].code", equalTo("FORBIDDEN"));
        assertEquals(List.of("repository:" + repository + ":delete"), last().scopes());
        given().header("Authorization", "Bearer " + TestTokenEndpoint.keycloakToken("admin", Duration.ofMinutes(5)))
                .when().get("/api/v1/projects/" + project + "/repositories")
                .then().statusCode(200).body("name", equalTo(List.of(repository)));
        assertEquals("registry:catalog:*", last().scopes().get(0));
    }

    @Test
    void aSecondRequestIsServedFromTheCacheUntilANotifyEvictsIt() {
        String header = "Bearer " + TestTokenEndpoint.keycloakToken("pusher", Duration.ofMinutes(5));
        given().header("Authorization", header).when().get(artifacts()).then().statusCode(200);
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", header).when().get(artifacts()).then().statusCode(200);
        assertEquals(asked, TestTokenEndpoint.ASKED.size(), "the second request did not ask auth");

        TestDatabase.queryOne("SELECT pg_notify('berth_credentials', 'pusher')");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (TestTokenEndpoint.ASKED.size() == asked) {
            if (System.nanoTime() > deadline) {
                fail("still served from the cache 2 s after the NOTIFY");
            }
            given().header("Authorization", header).when().get(artifacts()).then().statusCode(200);
        }
    }

    @Test
    void aCachedTokenIsNotUsedPastTheBearersOwnExpiry() throws InterruptedException {
        // The registry token auth gives lives 5 minutes; the console's token only 2 seconds more.
        String header = "Bearer " + TestTokenEndpoint.keycloakToken("reader", Duration.ofSeconds(2));
        given().header("Authorization", header).when().get(artifacts()).then().statusCode(200);
        Thread.sleep(2_500);
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", header).when().get(artifacts())
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        assertEquals(asked + 1, TestTokenEndpoint.ASKED.size(), "auth was asked again, and refused");
    }

    @Test
    void aForgedTokenIsRefusedByAuthAndNeverCached() {
        String forged = TestTokenEndpoint.keycloakToken("admin", Duration.ofMinutes(5));
        // Same header and claims, another signature: auth cannot verify it.
        forged = forged.substring(0, forged.lastIndexOf('.') + 1) + b64("signed by nobody");
        for (int i = 0; i < 2; i++) {
            int asked = TestTokenEndpoint.ASKED.size();
            given().header("Authorization", "Bearer " + forged).when().get(artifacts())
                    .then().statusCode(401)
                    .header("WWW-Authenticate", equalTo(CHALLENGE + ",error=\"invalid_token\""))
                    .body("errors[0].code", equalTo("UNAUTHORIZED"))
                    .body("errors[0].message", containsString("bearer token"));
            assertEquals(asked + 1, TestTokenEndpoint.ASKED.size(), "each refusal was auth's");
        }
    }

    @Test
    void tokensNoIssuerSignsAreRefusedWithoutAskingAuth() {
        int asked = TestTokenEndpoint.ASKED.size();
        String claims = b64("{\"preferred_username\":\"admin\",\"exp\":9999999999}");
        for (String token : List.of("not-a-jwt", b64("{\"alg\":\"none\"}") + "." + claims + ".",
                b64("{\"alg\":\"HS256\"}") + "." + claims + "." + b64("mac"),
                b64("{\"alg\":\"ES256\",\"kid\":\"elsewhere\"}") + "." + claims + "." + b64("sig"),
                "%%%." + claims + ".x")) {
            given().header("Authorization", "Bearer " + token).when().get(artifacts())
                    .then().statusCode(401).header("WWW-Authenticate", equalTo(CHALLENGE + ",error=\"invalid_token\""));
        }
        assertEquals(asked, TestTokenEndpoint.ASKED.size());
    }

    @Test
    void registryTokensAreStillVerifiedHereWithoutAskingAuth() {
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", "Bearer " + TestTokens.token("repository:" + repository + ":pull"))
                .when().get(artifacts()).then().statusCode(200);
        assertEquals(asked, TestTokenEndpoint.ASKED.size());
    }

    @Test
    void v2TakesNoKeycloakToken() {
        int asked = TestTokenEndpoint.ASKED.size();
        given().header("Authorization", "Bearer " + TestTokenEndpoint.keycloakToken("admin", Duration.ofMinutes(5)))
                .when().get("/v2/" + repository + "/tags/list")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        assertEquals(asked, TestTokenEndpoint.ASKED.size(), "docker clients' /v2 never asks auth about a bearer");
    }

    @Test
    void authUnreachableIs503AndLimitedIs429ForABearerToo() {
        String header = "Bearer " + TestTokenEndpoint.keycloakToken("ci", Duration.ofMinutes(5));
        TestTokenEndpoint.down();
        try {
            given().header("Authorization", header).when().get(artifacts())
                    .then().statusCode(503).header("Retry-After", equalTo("5"))
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
        } finally {
            TestTokenEndpoint.up();
        }
        TestTokenEndpoint.limit("ci");
        try {
            given().header("Authorization", header).when().get(artifacts())
                    .then().statusCode(429).header("Retry-After", equalTo("7"))
                    .body("errors[0].code", equalTo("TOO_MANY_REQUESTS"));
        } finally {
            TestTokenEndpoint.limit(null);
        }
        // No limit is remembered for a bearer: the next request asks auth again, and passes.
        given().header("Authorization", header).when().get(artifacts()).then().statusCode(200);
    }

    @Test
    void anOversizedBearerIsRefusedUnread() {
        int asked = TestTokenEndpoint.ASKED.size();
        String big = b64("{\"alg\":\"RS256\"}") + "." + "A".repeat(DelegatedCredentials.MAX_BEARER) + ".sig";
        given().header("Authorization", "Bearer " + big).when().get(artifacts())
                .then().statusCode(401).body("errors[0].message", containsString("longer than"));
        assertEquals(asked, TestTokenEndpoint.ASKED.size());
    }

    private String artifacts() {
        return "/api/v1/projects/" + project + "/repositories/app/artifacts";
    }

    private static TestTokenEndpoint.Asked last() {
        return TestTokenEndpoint.ASKED.get(TestTokenEndpoint.ASKED.size() - 1);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
