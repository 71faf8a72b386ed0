package io.berth.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.scanner.config.ScannerConfig;
import io.berth.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScannerBridgeContractTest extends ServiceContractTest {

    @Inject
    ScannerConfig config;

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Database connections health check", "Kafka connection health check", "object-store");
    }

    @Test
    void documentedDefaultsApply() {
        assertEquals(true, config.scanOnPush());
        assertEquals(Duration.ofMinutes(10), config.scanTimeout());
        assertEquals(2, config.concurrentScans());
    }
}
