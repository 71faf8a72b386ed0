package io.berth.auth.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Credentials no client of berth's sends: each gets a clear 400/401 (or 413/431 from the HTTP
 * layer), never a 500, and never a bcrypt or Keycloak call on their account.
 */
@QuarkusTest
class BadCredentialInputTest {

    @Inject
    MeterRegistry metrics;

    @Test
    void aTenMegabytePasswordInTheOAuthFormIsRefusedUnchecked() throws IOException {
        double checks = checks();
        int length = 10 * 1024 * 1024;
        String head = "POST /service/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + (length + 44) + "\r\n\r\ngrant_type=password&username=developer&password=";
        String status = rawStatus(head, length, "");
        org.junit.jupiter.api.Assertions.assertTrue(status.equals("HTTP/1.1 413") || status.equals("HTTP/1.1 400"), status);
        // Small enough for the form, too long for any secret: 401 without a check.
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("username", "developer").formParam("password", "p".repeat(1500))
                .when().post("/service/token")
                .then().statusCode(anyOf(equalTo(400), equalTo(401), equalTo(413)));
        given().auth().preemptive().basic("robot$p+ci", "s".repeat(2000)).when().get("/service/token")
                .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        assertEquals(checks, checks(), "no bcrypt or Keycloak call was made");
    }

    @Test
    void aBasicHeaderThatIsNotBase64OrHasNoColonIs401() {
        for (String bad : new String[] {"Basic %%%", "Basic " + b64("no-colon"), "Basic " + b64(":secret")}) {
            given().header("Authorization", bad).when().get("/service/token")
                    .then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        }
    }

    @Test
    void aTenMegabyteBasicHeaderIsRefusedByTheHttpLayer() throws IOException {
        String status = rawStatus("GET /service/token HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ",
                10 * 1024 * 1024, "\r\n\r\n");
        org.junit.jupiter.api.Assertions.assertTrue(status.equals("HTTP/1.1 431") || status.equals("HTTP/1.1 413"), status);
    }

    /** The status line of a request of {@code head}, {@code filler} bytes of 'A', then {@code tail}. */
    private static String rawStatus(String head, int filler, String tail) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            var out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "A".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < filler; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, filler - sent));
                }
                out.write(tail.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedEarly) {
                // The server answered before reading it all.
            }
            return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    private double checks() {
        return metrics.counter("berth.auth.credential.checks", "source", "check").count();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
