package io.berth.replicator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.replicator.config.ReplicatorConfig;
import io.berth.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReplicatorContractTest extends ServiceContractTest {

    @Inject
    ReplicatorConfig config;

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Database connections health check", "Kafka connection health check");
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals(4, config.workers());
        assertEquals(Duration.ofSeconds(30), config.remoteTimeout());
        assertEquals(10, config.maxRetries());
        assertEquals(Duration.ofSeconds(10), config.scheduleTick());
    }
}
