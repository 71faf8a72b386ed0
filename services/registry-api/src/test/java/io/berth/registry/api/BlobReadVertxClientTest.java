package io.berth.registry.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * Every blob read of {@link BlobReadTest} again with {@code berth.storage.direct-relay=false}:
 * the path a TLS store takes, through Vert.x's HTTP client instead of DirectRelay.
 */
@QuarkusTest
@TestProfile(BlobReadVertxClientTest.VertxClient.class)
class BlobReadVertxClientTest extends BlobReadTest {

    public static class VertxClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.storage.direct-relay", "false");
        }
    }

    @Override
    boolean directRelay() {
        return false;
    }
}
