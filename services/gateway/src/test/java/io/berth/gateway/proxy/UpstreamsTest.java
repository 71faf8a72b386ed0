package io.berth.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.config.GatewayConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which instance takes a request: names resolved to addresses, round robin, down-marks, sessions. */
class UpstreamsTest {

    private static Upstreams of(String... urls) {
        GatewayConfig.Upstream upstream = new GatewayConfig.Upstream() {
            @Override
            public List<URI> instances() {
                return List.of(urls).stream().map(URI::create).toList();
            }

            @Override
            public boolean required() {
                return true;
            }
        };
        return new Upstreams(Map.of("registry-api", upstream), Duration.ofSeconds(5));
    }

    @Test
    void aHostNameIsOneInstancePerAddress() {
        var upstreams = of("http://localhost:8081", "http://127.0.0.2:8081");
        List<Instance> all = upstreams.all("registry-api");
        assertTrue(all.stream().anyMatch(i -> i.address().equals("127.0.0.1") && i.authority().equals("localhost:8081")), all.toString());
        assertTrue(all.stream().anyMatch(i -> i.address().equals("127.0.0.2")), all.toString());
        assertTrue(upstreams.isInternal("localhost:8081"));
        assertTrue(upstreams.isInternal("127.0.0.2:8081"));
        assertTrue(!upstreams.isInternal("s3.example.com:9000"));
    }

    @Test
    void requestsGoRoundRobinAndADownInstanceComesLast() {
        var upstreams = of("http://127.0.0.1:1", "http://127.0.0.2:2", "http://127.0.0.3:3");
        var first = upstreams.candidates("registry-api", Optional.empty(), Optional.empty()).get(0);
        var second = upstreams.candidates("registry-api", Optional.empty(), Optional.empty()).get(0);
        var third = upstreams.candidates("registry-api", Optional.empty(), Optional.empty()).get(0);
        assertEquals(3, List.of(first, second, third).stream().distinct().count());
        upstreams.markDown(second);
        for (int i = 0; i < 6; i++) {
            var order = upstreams.candidates("registry-api", Optional.empty(), Optional.empty());
            assertNotEquals(second, order.get(0));
            assertEquals(second, order.get(2), "tried last, not never");
        }
        upstreams.markUp(second);
        assertTrue(List.of(0, 1, 2).stream().anyMatch(i ->
                upstreams.candidates("registry-api", Optional.empty(), Optional.empty()).get(0).equals(second)));
    }

    @Test
    void aSessionGoesToItsInstanceThenToTheSameSuccessorEverywhere() {
        var a = of("http://127.0.0.1:1", "http://127.0.0.2:2", "http://127.0.0.3:3");
        var b = of("http://127.0.0.3:3", "http://127.0.0.1:1", "http://127.0.0.2:2");
        var holder = a.all("registry-api").get(1);
        var order = a.candidates("registry-api", Optional.of("session-1"), Optional.of(holder.key()));
        assertEquals(holder, order.get(0));
        // Another gateway replica, with the instances listed in another order, agrees.
        assertEquals(order, b.candidates("registry-api", Optional.of("session-1"), Optional.of(holder.key())));
        // Without its holder the session goes to the same successor on both.
        a.markDown(holder);
        b.markDown(holder);
        assertEquals(a.candidates("registry-api", Optional.of("session-1"), Optional.of(holder.key())).get(0),
                b.candidates("registry-api", Optional.of("session-1"), Optional.of(holder.key())).get(0));
        assertNotEquals(holder, a.candidates("registry-api", Optional.of("session-1"), Optional.of(holder.key())).get(0));
    }
}
