package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.registry.config.RegistryConfig;
import io.berth.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegistryApiContractTest extends ServiceContractTest {

    @Inject
    RegistryConfig config;

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Database connections health check", "Kafka connection health check", "object-store");
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals(4 * 1024 * 1024, config.manifestMaxBytes());
        assertEquals(Duration.ofHours(24), config.uploads().idleTimeout());
        assertFalse(config.blobs().redirect());
        assertEquals(Duration.ofMinutes(5), config.blobs().redirectTtl());
    }
}
