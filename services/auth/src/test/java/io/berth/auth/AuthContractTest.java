package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.auth.config.AuthConfig;
import io.berth.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthContractTest extends ServiceContractTest {

    @Inject
    AuthConfig config;

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Database connections health check", "Kafka connection health check", "keycloak");
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals("http://127.0.0.1:8180", config.keycloak().url());
        assertEquals("berth", config.keycloak().realm());
        assertEquals("berth-auth", config.keycloak().clientId());
        assertEquals("berth", config.token().service());
        assertEquals(Duration.ofMinutes(5), config.token().lifetime());
    }
}
