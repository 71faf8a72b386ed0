package io.berth.registry.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.config.RegistryConfig;
import io.berth.security.credentials.CredentialCache;
import io.berth.security.credentials.RevocationListener;
import io.berth.security.token.RegistryToken;
import io.berth.security.token.TokenException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Credentials registry-api cannot verify itself, exchanged at auth's token endpoint
 * ({@code berth.registry.auth.token-url}) for a registry token with exactly the scopes the
 * request needs, which is then verified locally like any bearer token. So a caller gets the roles
 * its token would have, and auth stays the one place that checks credentials. Two kinds:
 * <ul>
 *   <li>Basic credentials of a user, CLI secret or robot, on {@code /v2} and {@code /api/v1}
 *       (docs/adr/0020-basic-credentials-on-v2.md);
 *   <li>a bearer token that is not a registry token, on {@code /api/v1} only: the console's
 *       Keycloak access token, which auth checks (docs/adr/0048-keycloak-bearers-at-registry-api.md).
 * </ul>
 *
 * <p>The verified token is reused for {@code basic-cache-ttl} (never past its expiry, nor past
 * a bearer's own {@code exp}), keyed by an HMAC of header and scopes; the header itself is not
 * kept. Refusals are never cached. auth announces revocations on PostgreSQL
 * ({@link RevocationListener}), which evicts the principal's tokens here within 2 s. The
 * exchange is non-blocking (Vert.x's HTTP client): no thread waits for auth.
 */
@ApplicationScoped
public class DelegatedCredentials {

    private static final Logger LOG = Logger.getLogger(DelegatedCredentials.class);

    /** A longer Basic header is refused unread: no credential of berth's comes near it. */
    static final int MAX_HEADER = 4096;
    /**
     * A longer bearer header is refused unread. Keycloak's access tokens grow with the groups and
     * roles they list; 16 KiB holds several hundred groups and stays under the HTTP layer's limit.
     */
    static final int MAX_BEARER = 16384;

    private final RegistryConfig.Auth config;
    private final BearerTokens tokens;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final CredentialCache<RegistryToken> cache;
    private final HttpClient http;
    /** Accounts auth answered 429 for, until when ({@link System#nanoTime}). */
    private final java.util.Map<String, Long> limitedUntil = new java.util.concurrent.ConcurrentHashMap<>();
    private final RevocationListener.Connector database;
    private RevocationListener listener;

    public DelegatedCredentials(RegistryConfig config, BearerTokens tokens, ObjectMapper json, MeterRegistry metrics,
            Vertx vertx, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") String dbPassword) {
        this.config = config.auth();
        this.tokens = tokens;
        this.json = json;
        this.metrics = metrics;
        this.cache = new CredentialCache<>(this.config.basicCacheTtl(), 100_000,
                this.config.revocationPing().multipliedBy(3), System::nanoTime);
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.tokenTimeout().toMillis()).setMaxPoolSize(32));
        this.database = RevocationListener.Connector.postgres(jdbcUrl, dbUser, dbPassword,
                "berth-registry-api-revocations");
    }

    void start(@Observes StartupEvent start) {
        if (config.enabled()) {
            listener = new RevocationListener(database, config.revocationPing(), List.of(cache)).start();
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        if (listener != null) {
            listener.close();
        }
    }

    /** Whether an {@code Authorization} header value is Basic credentials. */
    public static boolean isBasic(String header) {
        return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** Whether cached tokens are used now (the revocation listener is connected and recent). */
    public boolean live() {
        return cache.live();
    }

    /**
     * The verified token auth grants {@code header} (Basic credentials, or a bearer token that
     * is not a registry token) for {@code scopes} (each {@code type:name:actions}); fails with a
     * {@link CredentialRefusal}.
     *
     * @param forwardedFor the client's address chain, passed on as {@code X-Forwarded-For}
     */
    public Uni<RegistryToken> token(String header, List<String> scopes, String forwardedFor) {
        Credential credential = isBasic(header) ? Credential.BASIC : Credential.BEARER;
        String malformed = credential == Credential.BASIC ? malformed(header) : malformedBearer(header);
        if (malformed != null) {
            count(credential, "malformed");
            return Uni.createFrom().failure(new CredentialRefusal(CredentialRefusal.Kind.MALFORMED, malformed, 0));
        }
        // While auth limits the account, a cached token is not used either: otherwise a guesser
        // past the limit would learn from a 200 which guess was right. A bearer has no account
        // name that could be trusted before auth verified it, and nothing to guess: no limit is
        // kept for it (ADR 0048).
        String user = credential == Credential.BASIC ? username(header) : null;
        long limited = user == null ? 0 : limitedForNanos(user);
        if (limited > 0) {
            count(credential, "limited");
            return Uni.createFrom().failure(new CredentialRefusal(CredentialRefusal.Kind.LIMITED,
                    "too many failed logins; try again later", (limited + 999_999_999L) / 1_000_000_000L));
        }
        String key = cache.key(header, String.join(" ", scopes));
        var cached = cache.get(key);
        if (cached.isPresent()) {
            count(credential, "cached");
            return Uni.createFrom().item(cached.get());
        }
        long stamp = cache.stamp();
        StringBuilder url = new StringBuilder(config.tokenUrl().toString()).append("?service=")
                .append(URLEncoder.encode(config.service(), StandardCharsets.UTF_8));
        for (String scope : scopes) {
            url.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
                .putHeader("Authorization", header).setIdleTimeout(config.tokenTimeout().toMillis());
        if (forwardedFor != null) {
            request.putHeader("X-Forwarded-For", forwardedFor);
        }
        Uni<Answer> ask = Uni.createFrom().completionStage(() -> http.request(request).compose(r -> r.send())
                .compose(r -> r.body().map(body -> new Answer(r.statusCode(), r.getHeader("Retry-After"), body.toString())))
                .toCompletionStage());
        // A pooled connection auth closed (it restarted) fails before anything is sent: again, up to
        // three times, as the pool may hold several such connections.
        return ask.onFailure(HttpClosedException.class).retry().atMost(3)
                .ifNoItem().after(config.tokenTimeout()).fail()
                .onFailure().transform(e -> e instanceof CredentialRefusal ? e
                        : unavailable(credential, "auth's token endpoint did not answer: " + e))
                .map(a -> granted(a, credential, header, user, key, stamp));
    }

    /** The two kinds of credentials exchanged here; the metrics' {@code credential} tag. */
    private enum Credential {
        BASIC, BEARER;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Answer(int status, String retryAfter, String body) {}

    private RegistryToken granted(Answer answer, Credential credential, String header, String user, String key,
            long stamp) {
        switch (answer.status()) {
            case 200 -> { }
            case 401, 400 -> {
                count(credential, "refused");
                throw new CredentialRefusal(CredentialRefusal.Kind.INVALID, credential == Credential.BASIC
                        ? "the Basic credentials are not valid"
                        : "the bearer token is not valid, has expired, or is not from a client berth accepts", 0);
            }
            case 429 -> {
                count(credential, "limited");
                long seconds = retryAfter(answer.retryAfter(), 60);
                if (user != null) {
                    if (limitedUntil.size() > 10_000) {
                        limitedUntil.values().removeIf(until -> System.nanoTime() - until > 0);
                    }
                    limitedUntil.put(user, System.nanoTime() + Duration.ofSeconds(seconds).toNanos());
                }
                throw new CredentialRefusal(CredentialRefusal.Kind.LIMITED, "too many failed logins; try again later",
                        seconds);
            }
            default -> throw unavailable(credential, "auth's token endpoint answered " + answer.status() + ": "
                    + answer.body().substring(0, Math.min(200, answer.body().length())));
        }
        RegistryToken token;
        try {
            token = tokens.verify(json.readTree(answer.body()).path("token").asText());
        } catch (TokenException | java.io.IOException e) {
            throw unavailable(credential, "auth's token could not be verified: " + e.getMessage());
        }
        count(credential, "exchanged");
        // Reused until shortly before it expires, so a cached token is never one about to lapse;
        // for a bearer, never past the bearer's own exp either (auth verified it, so its exp is
        // now a checked claim): an expired console token is asked about again, and refused.
        Instant until = token.expiresAt().minusSeconds(10);
        if (credential == Credential.BEARER) {
            Instant bearerExpiry = BearerTokens.expiry(header.substring(7).trim()).orElse(Instant.EPOCH);
            until = bearerExpiry.isBefore(until) ? bearerExpiry : until;
        }
        long left = Duration.between(Instant.now(), until).toNanos();
        if (left > 0) {
            cache.put(key, token.subject(), token, stamp, System.nanoTime() + left);
        }
        return token;
    }

    private CredentialRefusal unavailable(Credential credential, String message) {
        count(credential, "unavailable");
        // The client is told only "try again shortly": the reason is for the operator.
        LOG.warnf("%s credentials answered 503: %s", credential.tag(), message);
        return new CredentialRefusal(CredentialRefusal.Kind.UNAVAILABLE, message, 5);
    }

    /** How much longer auth refuses logins of {@code user}, as it last said; 0 if it does not. */
    private long limitedForNanos(String user) {
        Long until = limitedUntil.get(user);
        if (until == null) {
            return 0;
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
            limitedUntil.remove(user, until);
        }
        return Math.max(0, left);
    }

    /** The user of a header {@link #malformed} accepted. */
    private static String username(String header) {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    /** Why a bearer header is no token at all, or null if it may be one. */
    static String malformedBearer(String header) {
        if (header.length() > MAX_BEARER) {
            return "the bearer token is longer than " + MAX_BEARER + " bytes";
        }
        return header.substring(7).trim().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+") ? null
                : "the bearer token is not a JWT";
    }

    /** Why the header is not Basic credentials at all, or null if it may be. */
    static String malformed(String header) {
        if (header.length() > MAX_HEADER) {
            return "the Basic credentials are longer than " + MAX_HEADER + " bytes";
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return "the Basic credentials are not base64";
        }
        int colon = new String(decoded, StandardCharsets.UTF_8).indexOf(':');
        return colon <= 0 ? "the Basic credentials are not user:password" : null;
    }

    private static long retryAfter(String header, long otherwise) {
        try {
            return header == null ? otherwise : Math.max(1, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private void count(Credential credential, String result) {
        metrics.counter("berth.registry.delegated.requests", "credential", credential.tag(), "result", result).increment();
    }
}
