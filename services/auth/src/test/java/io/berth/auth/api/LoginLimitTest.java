package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failed logins: after the limit for an account the next attempt is refused unchecked with 429
 * and Retry-After; each failure is a metric and an {@code auth.login_failed} audit event in
 * the outbox, without the secret.
 */
@QuarkusTest
@TestProfile(LoginLimitTest.ThreeFailures.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginLimitTest {

    public static class ThreeFailures implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.auth.logins.max-failures", "3", "berth.auth.logins.max-failures-per-address", "20",
                    "berth.auth.logins.window", "PT1M", "berth.auth.logins.trusted-proxies", "127.0.0.1,::1");
        }
    }

    @Test
    @Order(1)
    void anAccountThatFailsTooOftenIsRefusedUncheckedForAWhile() throws SQLException {
        String account = "nobody-" + System.nanoTime();
        String secret = "guess-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            given().auth().preemptive().basic(account, secret).when().get("/service/token").then().statusCode(401);
        }
        given().auth().preemptive().basic(account, secret).when().get("/service/token")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .body("errors[0].code", equalTo("TOO_MANY_REQUESTS"));
        // The management API shares the limit.
        given().auth().preemptive().basic(account, secret).when().get("/api/v1/users/current").then().statusCode(429);
        // Another account from the same address is not affected.
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/service/token").then().statusCode(200);

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("berth_auth_login_failures_total{kind=\"user\",reason=\"invalid\"}"))
                .body(containsString("berth_auth_login_failures_total{kind=\"user\",reason=\"limited\"}"));
        try (var c = DriverManager.getConnection(Fixtures.DB, "berth", "berth");
                var ps = c.prepareStatement("""
                        SELECT count(*), bool_or(payload::text LIKE '%' || ? || '%') FROM outbox
                        WHERE event_type = 'io.berth.auth.login_failed.v1' AND event_key = ?""")) {
            ps.setString(1, secret);
            ps.setString(2, account);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(5, rs.getLong(1), "three invalid and two limited attempts");
                assertFalse(rs.getBoolean(2), "the secret is in an audit event");
            }
        }
    }

    @Test
    @Order(2)
    void guessedRefreshTokensAreLimitedByAddress() {
        for (int i = 0; i < 3; i++) {
            given().formParam("grant_type", "refresh_token").formParam("refresh_token", "berthrt_guess" + i)
                    .when().post("/service/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
        given().formParam("grant_type", "refresh_token").formParam("refresh_token", "berthrt_guess")
                .when().post("/service/token").then().statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    @Order(3)
    void anAddressThatFailsTooOftenIsRefusedForEveryAccount() {
        int attempts = 0;
        int status = 401;
        while (status == 401 && attempts++ < 25) {
            status = given().auth().preemptive().basic("guess-" + System.nanoTime(), "x").when().get("/service/token")
                    .then().extract().statusCode();
        }
        assertEquals(429, status, "after " + attempts + " failures from one address");
        given().auth().preemptive().basic("developer", "berth-dev").when().get("/service/token").then().statusCode(429);
    }

    @Test
    @Order(4)
    void behindATrustedProxyEachClientIsCountedApart() {
        // 127.0.0.1 itself is locked out now (Order 3); the clients a trusted proxy names are not.
        given().auth().preemptive().basic("developer", "berth-dev").header("X-Forwarded-For", "203.0.113.77")
                .when().get("/service/token").then().statusCode(200);
        int attempts = 0;
        int status = 401;
        while (status == 401 && attempts++ < 25) {
            status = given().auth().preemptive().basic("guess-" + System.nanoTime(), "x")
                    .header("X-Forwarded-For", "203.0.113.78").when().get("/service/token").then().extract().statusCode();
        }
        assertEquals(429, status, "after " + attempts + " failures from one forwarded client");
        given().auth().preemptive().basic("developer", "berth-dev").header("X-Forwarded-For", "203.0.113.78")
                .when().get("/service/token").then().statusCode(429);
        // Another client behind the same proxy, and a client that wrote its own chain, are not.
        given().auth().preemptive().basic("developer", "berth-dev").header("X-Forwarded-For", "203.0.113.79")
                .when().get("/service/token").then().statusCode(200);
        given().auth().preemptive().basic("developer", "berth-dev").header("X-Forwarded-For", "203.0.113.78, 203.0.113.80")
                .when().get("/service/token").then().statusCode(200);
    }
}
