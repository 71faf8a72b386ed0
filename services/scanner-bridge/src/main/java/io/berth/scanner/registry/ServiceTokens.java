package io.berth.scanner.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.config.AdminAuthConfig;
import io.berth.scanner.registry.ServiceTokenException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry tokens for scanner-bridge's own service account ({@code service$scanner-bridge}, see
 * {@link ServiceAccountConfig}), from auth's token service as any client gets them:
 * {@code GET <auth>/service/token?scope=repository:<repo>:<actions>} with Basic credentials. A
 * token is cached per repository and set of actions until {@code refresh-before} ahead of its
 * expiry, so a burst of work in one repository costs one request to auth. auth grants what the
 * account's configured actions allow; a token that grants less than asked is refused here, with
 * a message naming what is missing, rather than failing later at the registry with a bare 401.
 */
@ApplicationScoped
public class ServiceTokens {

    /** The prefix of service account names at auth. */
    public static final String PREFIX = "service$";

    private static final int MAX_CACHED = 1_000;
    private static final int MAX_ANSWER = 64 * 1024;

    private record Key(String repository, Set<String> actions) {}

    private record Cached(String token, Instant usableUntil) {}

    private final ServiceAccountConfig config;
    private final String tokenUrl;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Clock clock;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    public ServiceTokens(ServiceAccountConfig config, AdminAuthConfig auth, ObjectMapper json) {
        this(config, auth.url(), auth.timeout(), json, Clock.systemUTC());
    }

    ServiceTokens(ServiceAccountConfig config, String authUrl, Duration timeout, ObjectMapper json, Clock clock) {
        this.config = config;
        this.tokenUrl = authUrl.replaceAll("/+$", "") + "/service/token";
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The account's full name, {@code service$<name>}. */
    public String account() {
        return PREFIX + config.name();
    }

    /**
     * Why there is no identity, or empty if a secret is configured: for logs, health and status.
     */
    public Optional<String> missing() {
        return secret().isPresent() ? Optional.empty()
                : Optional.of("berth.scanner.service.secret (BERTH_SCANNER_SERVICE_SECRET) is not set, so "
                        + account() + " cannot get registry tokens");
    }

    /**
     * A registry token granting {@code actions} (e.g. pull, push) on {@code repository}, to send
     * as {@code Authorization: Bearer <token>}; cached until shortly before it expires.
     *
     * @throws ServiceTokenException NOT_CONFIGURED without a secret, REFUSED if auth refuses the
     *     credentials or grants less than asked, UNAVAILABLE if auth cannot be asked
     */
    public String bearer(String repository, Set<String> actions) {
        Key key = new Key(repository, Set.copyOf(new TreeSet<>(actions)));
        Cached held = cache.get(key);
        Instant now = clock.instant();
        if (held != null && now.isBefore(held.usableUntil())) {
            return held.token();
        }
        Cached fresh = fetch(repository, new TreeSet<>(actions), now);
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(c -> !now.isBefore(c.usableUntil()));
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(key, fresh);
        return fresh.token();
    }

    private Cached fetch(String repository, TreeSet<String> actions, Instant now) {
        String secret = secret().orElseThrow(() -> new ServiceTokenException(Reason.NOT_CONFIGURED, missing().orElseThrow()));
        String scope = "repository:" + repository + ":" + String.join(",", actions);
        String basic = Base64.getEncoder().encodeToString((account() + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl + "?scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                .timeout(timeout).header("Authorization", "Basic " + basic).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServiceTokenException(Reason.UNAVAILABLE, "auth's token service at " + tokenUrl
                    + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceTokenException(Reason.UNAVAILABLE, "interrupted while asking auth for a token", e);
        }
        int status = answer.statusCode();
        if (status == 401) {
            throw new ServiceTokenException(Reason.REFUSED, "auth refused the credentials of " + account()
                    + ": berth.scanner.service.secret must equal auth's berth.auth.service-accounts.\""
                    + config.name() + "\".secret");
        }
        if (status == 429 || status >= 500) {
            throw new ServiceTokenException(Reason.UNAVAILABLE, "auth's token service answered " + status + " for " + account());
        }
        if (status != 200) {
            throw new ServiceTokenException(Reason.REFUSED, "auth's token service answered " + status + " for "
                    + account() + " and " + scope);
        }
        JsonNode body;
        try {
            body = answer.body().length > MAX_ANSWER ? null : json.readTree(answer.body());
        } catch (IOException e) {
            body = null;
        }
        String token = body == null ? "" : body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new ServiceTokenException(Reason.UNAVAILABLE, "auth's token service answered no token for " + account());
        }
        Set<String> granted = granted(body.path("scope").asText(""), repository);
        if (!granted.containsAll(actions)) {
            TreeSet<String> lacking = new TreeSet<>(actions);
            lacking.removeAll(granted);
            throw new ServiceTokenException(Reason.REFUSED, "auth did not grant " + account() + " " + lacking + " on "
                    + repository + " (no such project, or not among the account's actions in berth.auth.service-accounts)");
        }
        long lifetime = body.path("expires_in").canConvertToLong() ? body.path("expires_in").asLong() : 60;
        Duration margin = config.refreshBefore();
        // A token shorter-lived than the margin is still used once, for at most half its life.
        Duration usable = Duration.ofSeconds(lifetime).compareTo(margin.multipliedBy(2)) > 0
                ? Duration.ofSeconds(lifetime).minus(margin) : Duration.ofSeconds(lifetime).dividedBy(2);
        return new Cached(token, now.plus(usable));
    }

    /** The actions the answer's {@code scope} grants on {@code repository}. */
    static Set<String> granted(String scopes, String repository) {
        Set<String> actions = new TreeSet<>();
        String prefix = "repository:" + repository + ":";
        for (String s : scopes.trim().split(" +")) {
            if (s.startsWith(prefix)) {
                actions.addAll(Set.of(s.substring(prefix.length()).split(",")));
            }
        }
        return actions;
    }

    private Optional<String> secret() {
        return config.secret().filter(s -> !s.isBlank());
    }
}
