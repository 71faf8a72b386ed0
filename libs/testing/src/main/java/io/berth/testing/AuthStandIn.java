package io.berth.testing;

import com.sun.net.httpserver.HttpExchange;
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
 * Stands in for auth's {@code GET /api/v1/users/current}, {@code GET /api/v1/projects/{p}} and
 * {@code GET /api/v1/projects} in a service's module tests (the real ones are exercised through
 * the gateway by the stack and e2e tests): {@code admin:admin-pw} is a system administrator,
 * {@code dev:dev-pw} and {@code owner:owner-pw} users who are not, {@code slow:pw} is refused as
 * too many failures (429 with {@code Retry-After: 42}), anything else is 401 with auth's
 * challenge. A user's role in a project is what a test {@link #grant}ed; a project where a
 * non-administrator has none answers 404, as auth does for a private project, unless a test made
 * it {@link #makePublic public}. The list names the projects a user has a role in and the public
 * ones (every granted or public project for the administrator), as auth's does.
 *
 * <p>A service's tests extend it, naming the property that holds auth's URL ({@link #urlProperty}),
 * and may answer more of auth's paths ({@link #extend}).
 */
public abstract class AuthStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN = basic("admin", "admin-pw");
    public static final String DEVELOPER = basic("dev", "dev-pw");
    public static final String LIMITED = basic("slow", "pw");
    public static final String OWNER = basic("owner", "owner-pw");

    /** Roles by "user/project", as a test granted them. */
    private static final Map<String, String> ROLES = new ConcurrentHashMap<>();
    /** Projects a test made public. */
    private static final Set<String> PUBLIC = ConcurrentHashMap.newKeySet();

    private HttpServer server;

    /** The configuration key of the service's auth URL, e.g. {@code berth.gc.auth.url}. */
    protected abstract String urlProperty();

    /** Makes {@code user} a member of {@code project} with {@code role} (e.g. projectAdmin). */
    public static void grant(String user, String project, String role) {
        ROLES.put(user + "/" + project, role);
    }

    /** Makes {@code project} public: anyone signed in sees it and may pull from it. */
    public static void makePublic(String project) {
        PUBLIC.add(project);
    }

    /** More of auth's paths on the stand-in's server, for a service that asks auth more. */
    protected void extend(HttpServer server) {
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/users/current", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String user = user(auth);
            if (user != null) {
                answer(exchange, 200, "{\"username\":\"" + user + "\",\"admin\":" + user.equals("admin")
                        + ",\"robot\":false,\"groups\":[]}");
            } else if (LIMITED.equals(auth)) {
                exchange.getResponseHeaders().add("Retry-After", "42");
                answer(exchange, 429, "{\"errors\":[{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"too many failed logins\"}]}");
            } else {
                unauthorized(exchange);
            }
        });
        server.createContext("/api/v1/projects/", exchange -> {
            String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
            String project = exchange.getRequestURI().getPath().substring("/api/v1/projects/".length());
            String role = user == null ? null : ROLES.get(user + "/" + project);
            if (user == null) {
                unauthorized(exchange);
            } else if (role == null && !user.equals("admin") && !PUBLIC.contains(project)) {
                answer(exchange, 404, "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"project " + project
                        + " not found\"}]}");
            } else {
                answer(exchange, 200, "{\"name\":\"" + project + "\",\"public\":" + PUBLIC.contains(project)
                        + ",\"currentUserRole\":" + (role == null ? "null" : "\"" + role + "\"") + "}");
            }
        });
        server.createContext("/api/v1/projects", exchange -> {
            String user = user(exchange.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                unauthorized(exchange);
                return;
            }
            Set<String> names = new TreeSet<>(PUBLIC);
            ROLES.keySet().stream().filter(k -> user.equals("admin") || k.startsWith(user + "/"))
                    .map(k -> k.substring(k.indexOf('/') + 1)).forEach(names::add);
            answer(exchange, 200, names.stream().map(n -> "{\"name\":\"" + n + "\",\"public\":" + PUBLIC.contains(n) + "}")
                    .collect(Collectors.joining(",", "[", "]")));
        });
        extend(server);
        server.start();
        return Map.of(urlProperty(), "http://127.0.0.1:" + server.getAddress().getPort());
    }

    protected static void unauthorized(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"berth\"");
        answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"the credentials are not valid\"}]}");
    }

    protected static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
