package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.health.KeycloakReadinessCheck;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** The check against the real local Keycloak, and against what is not berth's Keycloak. */
class KeycloakReadinessCheckTest {

    private static final String KEYCLOAK = "http://127.0.0.1:8180";

    private static Status statusFor(String url, String realm) {
        AuthConfig.Keycloak keycloak = new AuthConfig.Keycloak() {
            public String url() { return url; }
            public String realm() { return realm; }
            public String clientId() { return "berth-auth"; }
            public String clientSecret() { return "unused"; }
            public Duration timeout() { return Duration.ofSeconds(3); }
            public java.util.Optional<String> issuer() { return java.util.Optional.empty(); }
            public java.util.Set<String> apiClients() { return java.util.Set.of(); }
        };
        AuthConfig config = new AuthConfig() {
            public Keycloak keycloak() { return keycloak; }
            public Token token() { throw new UnsupportedOperationException(); }
            public Keys keys() { throw new UnsupportedOperationException(); }
            public Logins logins() { throw new UnsupportedOperationException(); }
            public Audit audit() { throw new UnsupportedOperationException(); }
            public Credentials credentials() { throw new UnsupportedOperationException(); }
            public java.util.Map<String, ServiceAccount> serviceAccounts() { return java.util.Map.of(); }
        };
        return new KeycloakReadinessCheck(config).call().getStatus();
    }

    @Test
    void upWhenTheBerthRealmIsServed() {
        assertEquals(Status.UP, statusFor(KEYCLOAK, "berth"));
        assertEquals(Status.UP, statusFor(KEYCLOAK + "/", "berth"));
    }

    @Test
    void downWhenTheRealmIsMissing() {
        assertEquals(Status.DOWN, statusFor(KEYCLOAK, "no-such-realm"));
    }

    @Test
    void downWhenNothingAnswers() {
        assertEquals(Status.DOWN, statusFor("http://127.0.0.1:1", "berth"));
    }
}
