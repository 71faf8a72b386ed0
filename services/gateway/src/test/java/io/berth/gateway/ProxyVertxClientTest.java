package io.berth.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * Every case of {@link ProxyTest} again with {@code berth.gateway.client.direct-relay=false}:
 * GETs and HEADs through Vert.x's client, the path TLS instances take.
 */
@QuarkusTest
@QuarkusTestResource(value = EchoUpstream.class, restrictToAnnotatedClass = true)
@TestProfile(ProxyVertxClientTest.VertxClient.class)
class ProxyVertxClientTest extends ProxyTest {

    public static class VertxClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.gateway.client.direct-relay", "false");
        }
    }

    @Override
    boolean directRelay() {
        return false;
    }
}
