package io.berth.scanner.support;

import com.sun.net.httpserver.HttpServer;
import io.berth.testing.AuthStandIn;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * auth's stand-in for scanner-bridge's module tests ({@link AuthStandIn}: users, projects with
 * roles, public projects, the project list), plus {@code GET /service/token} for scanner-bridge's
 * service account only: Basic {@code service$scanner-bridge} with {@link #SERVICE_SECRET} gets an
 * opaque token granting the asked scope for {@link #serviceTokenLifetime} seconds; another secret
 * gets 401, and while a test has it {@link #tokenServiceDown down}, 503.
 */
public class TestAuth extends AuthStandIn {

    /** The secret of {@code service$scanner-bridge}, as the test profile configures it. */
    public static final String SERVICE_SECRET = "test-scanner-bridge-secret";
    private static final AtomicInteger SERVICE_TOKENS = new AtomicInteger();
    private static volatile boolean tokenServiceDown;
    private static volatile long serviceTokenLifetime = 300;

    /** How many service tokens the stand-in has issued. */
    public static int serviceTokensIssued() {
        return SERVICE_TOKENS.get();
    }

    /** Makes the token service answer 503 (true) or work again (false). */
    public static void tokenServiceDown(boolean down) {
        tokenServiceDown = down;
    }

    /** The {@code expires_in} of the service tokens issued from now on. */
    public static void serviceTokenLifetime(long seconds) {
        serviceTokenLifetime = seconds;
    }

    @Override
    protected String urlProperty() {
        return "berth.scanner.auth.url";
    }

    @Override
    protected void extend(HttpServer server) {
        server.createContext("/service/token", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String query = exchange.getRequestURI().getQuery();
            String scope = query == null ? "" : Arrays.stream(query.split("&"))
                    .filter(p -> p.startsWith("scope=")).map(p -> p.substring(6)).findFirst().orElse("");
            if (tokenServiceDown) {
                answer(exchange, 503, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"down for the test\"}]}");
            } else if (basic("service$scanner-bridge", SERVICE_SECRET).equals(auth)) {
                answer(exchange, 200, "{\"token\":\"svc-" + SERVICE_TOKENS.incrementAndGet() + "\",\"expires_in\":"
                        + serviceTokenLifetime + ",\"scope\":\"" + scope.replace("\"", "") + "\"}");
            } else {
                answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}");
            }
        });
    }
}
