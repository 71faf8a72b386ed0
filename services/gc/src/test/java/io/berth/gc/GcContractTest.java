package io.berth.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.gc.config.GcConfig;
import io.berth.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GcContractTest extends ServiceContractTest {

    @Inject
    GcConfig config;

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Database connections health check", "Kafka connection health check", "object-store");
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals(Duration.ofHours(2), config.grace());
        assertEquals(Duration.ofHours(168), config.uploads().maxAge());
        assertEquals(Duration.ofHours(24), config.uploads().interval());
        assertEquals(16, config.deleteConcurrency());
        assertEquals(500, config.batchSize());
    }
}
