package io.berth.scanner.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The scan API's tests put jobs into scan_jobs and look at them afterwards: this replica's workers
 * must not claim and run them in between (the flow's own tests run the workers).
 */
public class NoWorkers implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.scanner.flow.workers", "false");
    }
}
