package io.berth.replicator.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a {@link RegistryClient} authenticates to one remote, learnt from its challenges as docker
 * does: nothing is sent until the remote asks (a password is never offered to a registry that
 * did not ask for Basic), then
 * <ul>
 *   <li>{@code Basic}: the endpoint's credentials on every later request;
 *   <li>{@code Bearer realm=..,service=..,scope=..} (the Docker token flow): a token from the
 *       realm for the service and the scopes of the request (the challenge's and the client's own,
 *       e.g. a mount's source repository), asked with the credentials if there are any
 *       (anonymous otherwise), cached per set of scopes until shortly before it expires.
 * </ul>
 * A refusal says whether credentials are missing or wrong; it never contains them.
 */
final class RemoteAuth {

    /** Tokens are renewed this long before the remote says they expire. */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    /** distribution's default token lifetime when the token service does not say (60 s). */
    private static final long DEFAULT_EXPIRES_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant expires) {}

    private final RemoteTarget target;
    private final HttpClient http;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile Challenge scheme;

    RemoteAuth(RemoteTarget target, HttpClient http) {
        this.target = target;
        this.http = http;
    }

    /** The scheme the remote asked for: none (not asked yet, or open), basic or bearer. */
    String scheme() {
        Challenge c = scheme;
        return c == null ? "none" : c.scheme();
    }

    /**
     * Adds what the remote asked for before, if it is at hand (Basic credentials, or a cached
     * token for these scopes); returns whether anything was added.
     */
    boolean authorize(HttpRequest.Builder request, List<String> scopes) {
        Challenge c = scheme;
        if (c == null) {
            return false;
        }
        if (c.basic() && target.hasCredentials()) {
            request.setHeader("Authorization", basic());
            return true;
        }
        if (c.bearer()) {
            Token t = tokens.get(key(scopes));
            if (t != null && Instant.now().isBefore(t.expires())) {
                request.setHeader("Authorization", "Bearer " + t.value());
                return true;
            }
        }
        return false;
    }

    /**
     * Answers a 401 that carried {@code header} as its challenge: learns the scheme and, for
     * Bearer, fetches a token, so that {@link #authorize} then adds what the remote wants.
     *
     * @param sent whether the refused request carried credentials or a token already (a token is
     *     then fetched anew: it may have expired early)
     * @throws RemoteException UNAUTHORIZED if there is nothing (else) to try, or the token service
     *     refused the credentials; the other reasons if the token service cannot be reached
     */
    void challenged(String header, List<String> scopes, boolean sent) {
        Challenge c = Challenge.parse(header).orElseThrow(() -> new RemoteException(RemoteException.Reason.UNAUTHORIZED,
                target.url() + " answered 401 without a challenge (WWW-Authenticate)", 401, null));
        if (c.basic()) {
            if (!target.hasCredentials()) {
                throw needsCredentials();
            }
            if (sent && scheme != null && scheme.basic()) {
                throw wrongCredentials();
            }
            scheme = c;
            return;
        }
        if (!c.bearer() || c.params().get("realm") == null) {
            throw new RemoteException(RemoteException.Reason.UNAUTHORIZED, target.url() + " asks for "
                    + c.scheme() + " authentication, which berth does not speak (Basic and the Docker token flow)",
                    401, null);
        }
        scheme = c;
        tokens.put(key(scopes), fetch(c, scopes));
    }

    /**
     * The refusal of a request that was refused again after {@link #challenged}: the credentials
     * are wrong (Basic), or a fresh token does not allow this (Bearer).
     */
    RemoteException refused(List<String> scopes) {
        Challenge c = scheme;
        if (c != null && c.bearer()) {
            return new RemoteException(RemoteException.Reason.UNAUTHORIZED, target.url() + " refused a fresh token for "
                    + (scopes.isEmpty() ? "/v2/" : String.join(" ", scopes)) + (target.hasCredentials()
                    ? " (user " + target.username() + " may not do this)" : " (anonymous access is not allowed)"),
                    401, null);
        }
        return target.hasCredentials() ? wrongCredentials() : needsCredentials();
    }

    private Token fetch(Challenge c, List<String> scopes) {
        StringBuilder q = new StringBuilder();
        String service = c.params().get("service");
        if (service != null) {
            q.append("service=").append(encode(service));
        }
        for (String s : scopes(c, scopes)) {
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(encode(s));
        }
        String realm = c.params().get("realm");
        URI uri;
        try {
            uri = URI.create(realm + (q.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + q));
        } catch (IllegalArgumentException e) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the token realm " + realm + " is not a URL");
        }
        HttpRequest.Builder ask = HttpRequest.newBuilder(uri).timeout(target.requestTimeout()).GET()
                .header("Accept", "application/json");
        if (target.hasCredentials()) {
            ask.header("Authorization", basic());
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(ask.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw Failures.of(e, uri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(RemoteException.Reason.IO, "interrupted while asking " + uri.getHost() + " for a token");
        }
        if (answer.statusCode() == 401) {
            throw target.hasCredentials() ? wrongCredentials() : needsCredentials();
        }
        if (answer.statusCode() == 403) {
            throw new RemoteException(RemoteException.Reason.FORBIDDEN, "the token service " + uri.getHost()
                    + " refused user " + target.username() + " (403)", 403, null);
        }
        JsonNode node;
        try {
            node = answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
        } catch (IOException e) {
            node = null;
        }
        String token = node == null ? null : node.path("token").asText(node.path("access_token").asText(null));
        if (token == null || token.isEmpty()) {
            throw new RemoteException(RemoteException.Reason.REJECTED, "the token service " + uri.getHost()
                    + " answered " + answer.statusCode() + " without a token", answer.statusCode(), null);
        }
        long seconds = node.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS);
        return new Token(token, Instant.now().plusSeconds(Math.max(seconds, 1)).minus(MARGIN));
    }

    private RemoteException needsCredentials() {
        return new RemoteException(RemoteException.Reason.UNAUTHORIZED, target.url()
                + " needs credentials and the endpoint has none", 401, null);
    }

    private RemoteException wrongCredentials() {
        return new RemoteException(RemoteException.Reason.UNAUTHORIZED, target.url() + " refused the credentials of user "
                + target.username() + " (wrong user name or password)", 401, null);
    }

    /**
     * The challenge's scopes (space-separated) and the request's own, one per resource with the
     * union of their actions, sorted: distribution names a scope's actions in no fixed order
     * ("push,pull" as well as "pull,push"), and one resource asked twice would be a second grant
     * to ask for.
     */
    static List<String> scopes(Challenge c, List<String> own) {
        List<String> all = new java.util.ArrayList<>(own);
        String asked = c.params().get("scope");
        if (asked != null && !asked.isBlank()) {
            all.addAll(List.of(asked.trim().split("\\s+")));
        }
        Map<String, TreeSet<String>> actions = new java.util.TreeMap<>();
        for (String scope : all) {
            int last = scope.lastIndexOf(':');
            if (last <= 0) {
                actions.computeIfAbsent(scope, k -> new TreeSet<>());
                continue;
            }
            TreeSet<String> set = actions.computeIfAbsent(scope.substring(0, last), k -> new TreeSet<>());
            for (String a : scope.substring(last + 1).split(",")) {
                if (!a.isBlank()) {
                    set.add(a.trim());
                }
            }
        }
        List<String> out = new java.util.ArrayList<>();
        actions.forEach((resource, acts) -> out.add(acts.isEmpty() ? resource : resource + ":" + String.join(",", acts)));
        return out;
    }

    private static String key(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (target.username() + ":" + target.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
