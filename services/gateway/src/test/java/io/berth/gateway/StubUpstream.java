package io.berth.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A stand-in for the services behind the gateway: a loopback HTTP server whose
 * {@code /q/health/live} answers 200. Both upstreams point at it.
 */
public class StubUpstream implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the stub upstream", e);
        }
        server.createContext("/q/health/live", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "berth.gateway.upstreams.registry-api.instances", url,
                "berth.gateway.upstreams.auth.instances", "http://127.0.0.1:1," + url,
                // gc, scanner-bridge and the replicator are down: the gateway stays ready without them
                // (not required).
                "berth.gateway.upstreams.gc.instances", "http://127.0.0.1:1",
                "berth.gateway.upstreams.scanner-bridge.instances", "http://127.0.0.1:1",
                "berth.gateway.upstreams.replicator.instances", "http://127.0.0.1:1");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
