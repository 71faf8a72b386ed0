package io.berth.scanner.flow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.scanner.pluggable.DistributionRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry that wants Bearer tokens, for the adapter flow's tests: a real distribution registry
 * ({@link DistributionRegistry}, htpasswd auth, where the tests push) behind a front on another
 * free port that answers 401 with a Bearer challenge to any request without a Bearer token and
 * forwards the others with the pusher's credentials, recording each request's path and token.
 * The front's URL is scanner-bridge's {@code berth.scanner.adapter.registry-url}, so an adapter
 * scanning for the flow pulls through it, as it pulls through the gateway in the stack.
 */
public class TokenRegistry implements QuarkusTestResourceLifecycleManager {

    /** One request the front forwarded: its path and the token it carried. */
    public record Pull(String path, String token) {}

    private static final List<Pull> PULLS = new CopyOnWriteArrayList<>();
    private static volatile DistributionRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private HttpServer front;

    /** The registry behind the front, to push into. */
    public static DistributionRegistry registry() {
        return registry;
    }

    /** What the front forwarded so far, oldest first. */
    public static List<Pull> pulls() {
        return List.copyOf(PULLS);
    }

    @Override
    public Map<String, String> start() {
        try {
            registry = DistributionRegistry.start();
            front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        front.createContext("/", this::forward);
        front.start();
        return Map.of("berth.scanner.adapter.registry-url", "http://127.0.0.1:" + front.getAddress().getPort());
    }

    private void forward(HttpExchange exchange) throws IOException {
        try {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= "Bearer ".length()) {
                exchange.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"http://127.0.0.1:1/service/token\",service=\"berth\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            URI uri = exchange.getRequestURI();
            PULLS.add(new Pull(uri.getPath(), auth.substring("Bearer ".length())));
            HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(registry.url() + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .header("Authorization", DistributionRegistry.basic(DistributionRegistry.USER, DistributionRegistry.PASSWORD))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            if (accept != null) {
                out.header("Accept", accept);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            for (String h : List.of("Content-Type", "Docker-Content-Digest", "Location")) {
                r.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().add(h, v));
            }
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            }
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(r.statusCode(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            }
        } catch (RuntimeException e) {
            byte[] m = e.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, m.length);
            exchange.getResponseBody().write(m);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void stop() {
        if (front != null) {
            front.stop(0);
        }
        try {
            if (registry != null) {
                registry.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
