package io.berth.scanner.support;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * (A copy of gc's io.berth.gc.support.TestAuth, as AdminFilter is of gc's, plus public projects and
 * the project list the scan API asks for.)
 * Stands in for auth's {@code GET /api/v1/users/current}, {@code GET /api/v1/projects/{p}} and
 * {@code GET /api/v1/projects} in
 * scanner-bridge's module tests (the real ones are exercised through the gateway by the stack and e2e tests):
 * {@code admin:admin-pw} is a system administrator, {@code dev:dev-pw} and {@code owner:owner-pw}
 * users who are not, {@code slow:pw} is refused as too many failures (429), anything else is 401
 * with auth's challenge. A user's role in a project is what a test {@link #grant}ed; a project
 * where a non-administrator has none answers 404, as auth does for a private project, unless a
 * test made it {@link #makePublic public}. The list names the projects a user has a role in and
 * the public ones (every granted or public project for the administrator), as auth's does.
 * {@code GET /service/token} stands in for auth's token service for scanner-bridge's service
 * account only: Basic {@code service$scanner-bridge} with {@link #SERVICE_SECRET} gets an opaque
 * token granting the asked scope for {@link #serviceTokenLifetime} seconds; another secret gets
 * 401, and while a test has it {@link #tokenServiceDown down}, 503.
 */
public class TestAuth implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN = basic("admin", "admin-pw");
    public static final String DEVELOPER = basic("dev", "dev-pw");
    public static final String LIMITED = basic("slow", "pw");
    public static final String OWNER = basic("owner", "owner-pw");

    /** Roles by "user/project", as a test granted them. */
    private static final Map<String, String> ROLES = new ConcurrentHashMap<>();
    /** Projects a test made public. */
    private static final Set<String> PUBLIC = ConcurrentHashMap.newKeySet();

    /** The secret of {@code service$scanner-bridge}, as the test profile configures it. */
    public static final String SERVICE_SECRET = "test-scanner-bridge-secret";
    private static final java.util.concurrent.atomic.AtomicInteger SERVICE_TOKENS = new java.util.concurrent.atomic.AtomicInteger();
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

    /** Makes {@code project} public: anyone signed in sees it and may pull from it. */
    public static void makePublic(String project) {
        PUBLIC.add(project);
    }

    /** Makes {@code user} a member of {@code project} with {@code role} (e.g. projectAdmin). */
    public static void grant(String user, String project, String role) {
        ROLES.put(user + "/" + project, role);
    }

    /** The user whose credentials these are, or null if they are not valid. */
    private static String user(String authorization) {
        if (ADMIN.equals(authorization)) {
            return "admin";
        }
        if (DEVELOPER.equals(authorization)) {
            return "dev";
        }
        if (OWNER.equals(authorization)) {
            return "owner";
        }
        return null;
    }

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
            } else if (user(auth) != null) {
                status = 200;
                body = "{\"username\":\"" + user(auth) + "\",\"admin\":false,\"robot\":false,\"groups\":[]}";
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
        server.createContext("/api/v1/projects/", exchange -> {
            String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
            String project = exchange.getRequestURI().getPath().substring("/api/v1/projects/".length());
            String role = user == null ? null : ROLES.get(user + "/" + project);
            int status;
            String body;
            if (user == null) {
                status = 401;
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth\"");
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}";
            } else if (role == null && !user.equals("admin") && !PUBLIC.contains(project)) {
                status = 404;
                body = "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"project " + project + " not found\"}]}";
            } else {
                status = 200;
                body = "{\"name\":\"" + project + "\",\"public\":" + PUBLIC.contains(project) + ",\"currentUserRole\":"
                        + (role == null ? "null" : "\"" + role + "\"") + "}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/api/v1/projects", exchange -> {
            String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = 200;
            String body;
            if (user == null) {
                status = 401;
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth\"");
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}";
            } else {
                Set<String> names = new TreeSet<>(PUBLIC);
                ROLES.keySet().stream().filter(k -> user.equals("admin") || k.startsWith(user + "/"))
                        .map(k -> k.substring(k.indexOf('/') + 1)).forEach(names::add);
                body = names.stream().map(n -> "{\"name\":\"" + n + "\",\"public\":" + PUBLIC.contains(n) + "}")
                        .collect(Collectors.joining(",", "[", "]"));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/service/token", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String query = exchange.getRequestURI().getQuery();
            String scope = query == null ? "" : java.util.Arrays.stream(query.split("&"))
                    .filter(p -> p.startsWith("scope=")).map(p -> p.substring(6)).findFirst().orElse("");
            int status;
            String body;
            if (tokenServiceDown) {
                status = 503;
                body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"down for the test\"}]}";
            } else if (basic("service$scanner-bridge", SERVICE_SECRET).equals(auth)) {
                status = 200;
                body = "{\"token\":\"svc-" + SERVICE_TOKENS.incrementAndGet() + "\",\"expires_in\":" + serviceTokenLifetime
                        + ",\"scope\":\"" + scope.replace("\"", "") + "\"}";
            } else {
                status = 401;
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
        return Map.of("berth.scanner.auth.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
