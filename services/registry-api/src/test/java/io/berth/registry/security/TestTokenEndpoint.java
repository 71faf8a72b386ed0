package io.berth.registry.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.registry.support.TestTokens;
import io.berth.security.Scope;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for auth's {@code GET /service/token} in registry-api's tests (which cannot start
 * auth): its HTTP contract (Basic in, {@code {"token": ...}} out, 401 for wrong credentials, 429
 * while limited) with tokens signed by the test key ({@link TestTokens}). Users, by password
 * {@code pw}: {@code reader} may pull every repository, {@code pusher} may pull and push,
 * {@code admin} may also delete and gets {@code registry:catalog:*}; {@code limited}, and the user
 * named by {@link #limit}, are answered 429. {@code ci} may pull.
 * A bearer token stands for a Keycloak access token: one {@link #keycloakToken} made (RS256 in
 * its header, like Keycloak's) is taken as its user's until its {@code exp}, any other is refused
 * with 401, as auth refuses a token it cannot verify. The real check of Keycloak's tokens is
 * auth's, tested end to end in tests/e2e/bearer.sh.
 * Every request is recorded, so tests see when registry-api asked.
 */
public class TestTokenEndpoint implements QuarkusTestResourceLifecycleManager {

    /** One request that reached the endpoint: who, with which credential, and which scopes they asked for. */
    public record Asked(String user, String credential, List<String> scopes) {}

    public static final List<Asked> ASKED = new CopyOnWriteArrayList<>();
    private static final Map<String, Set<String>> ACTIONS = Map.of(
            "reader", Set.of("pull"), "ci", Set.of("pull"), "pusher", Set.of("pull", "push"),
            "admin", Set.of("pull", "push", "delete"));

    /** The Keycloak stand-in's tokens: token to user and expiry. */
    private static final Map<String, Map.Entry<String, Instant>> KEYCLOAK = new ConcurrentHashMap<>();

    private static HttpServer server;
    private static volatile String limited;
    private static int port;

    @Override
    public Map<String, String> start() {
        up();
        return Map.of("berth.registry.auth.token-url", "http://127.0.0.1:" + port + "/service/token");
    }

    @Override
    public void stop() {
        down();
    }

    /**
     * A token that looks like a Keycloak access token of {@code user} (RS256, with
     * {@code preferred_username} and {@code exp}), which this endpoint takes until it expires.
     */
    public static String keycloakToken(String user, Duration lifetime) {
        long exp = Instant.now().plus(lifetime).getEpochSecond();
        String token = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"realm-key\"}") + "."
                + b64("{\"preferred_username\":\"" + user + "\",\"azp\":\"berth-console\",\"exp\":" + exp + "}")
                + "." + b64(UUID.randomUUID().toString());
        KEYCLOAK.put(token, Map.entry(user, Instant.ofEpochSecond(exp)));
        return token;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the revocation listener of {@code delegated} is connected, so its cache is used. */
    static void awaitLive(DelegatedCredentials delegated) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!delegated.live()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the revocation listener did not connect within 10 s");
            }
            Thread.sleep(50);
        }
    }

    /** Answers 429 for {@code user} too (as auth does past its login limit); null ends it. */
    public static void limit(String user) {
        limited = user;
    }

    /** Stops answering: connections to its port are refused, as if auth were down. */
    public static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again, on the same port. */
    public static synchronized void up() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/service/token", TestTokenEndpoint::token);
            server.start();
            port = server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void token(HttpExchange exchange) throws IOException {
        List<String> scopes = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String[] basic;
        if (header.startsWith("Bearer ")) {
            var known = KEYCLOAK.get(header.substring(7));
            boolean valid = known != null && Instant.now().isBefore(known.getValue());
            ASKED.add(new Asked(valid ? known.getKey() : "?", "bearer", List.copyOf(scopes)));
            if (!valid) {
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"not a valid token\"}]}");
                return;
            }
            basic = new String[] {known.getKey(), "pw"};
        } else {
            basic = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            ASKED.add(new Asked(basic[0], "basic", List.copyOf(scopes)));
        }
        if (basic[0].equals("limited") || basic[0].equals(limited)) {
            send(exchange, 429, "{\"errors\":[{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"wait\"}]}");
            return;
        }
        Set<String> actions = ACTIONS.get(basic[0]);
        if (actions == null || !basic[1].equals("pw")) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}");
            return;
        }
        List<Scope> granted = new ArrayList<>();
        for (String s : scopes) {
            Scope scope = Scope.parse(s);
            if (scope.type().equals("registry")) {
                if (basic[0].equals("admin")) {
                    granted.add(scope);
                }
            } else {
                Scope allowed = scope.intersect(actions);
                if (!allowed.actions().isEmpty()) {
                    granted.add(allowed);
                }
            }
        }
        String token = TestTokens.SIGNER.sign(basic[0], "berth", Duration.ofMinutes(5), granted);
        send(exchange, 200, "{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":300}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (status == 429) {
            exchange.getResponseHeaders().add("Retry-After", "7");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
