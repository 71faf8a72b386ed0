package io.berth.gc.support;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Stands in for auth's {@code GET /api/v1/users/current} in gc's module tests (the real one is
 * exercised through the gateway by the stack and e2e tests): {@code admin:admin-pw} is a system
 * administrator, {@code dev:dev-pw} a user who is not, {@code slow:pw} is refused as too many
 * failures (429), anything else is 401 with auth's challenge.
 */
public class TestAuth implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN = basic("admin", "admin-pw");
    public static final String DEVELOPER = basic("dev", "dev-pw");
    public static final String LIMITED = basic("slow", "pw");

    private HttpServer server;

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/users/current", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            int status;
            String body;
            if (ADMIN.equals(auth)) {
                status = 200;
                body = "{\"username\":\"admin\",\"admin\":true,\"robot\":false,\"groups\":[]}";
            } else if (DEVELOPER.equals(auth)) {
                status = 200;
                body = "{\"username\":\"dev\",\"admin\":false,\"robot\":false,\"groups\":[]}";
            } else if (LIMITED.equals(auth)) {
                status = 429;
                exchange.getResponseHeaders().add("Retry-After", "42");
                body = "{\"errors\":[{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"too many failed logins\"}]}";
            } else {
                status = 401;
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth\"");
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("berth.gc.auth.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
