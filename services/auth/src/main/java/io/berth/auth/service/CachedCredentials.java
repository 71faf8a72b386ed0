package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.security.credentials.CredentialCache;
import io.berth.security.credentials.RevocationListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Successful credential checks of this replica, remembered for {@code berth.auth.credentials.cache-ttl}
 * (docs/adr/0020): who the caller is (subject, admin, groups, robot grants) and how they proved
 * it, keyed by an HMAC of name and secret. Project roles are not part of it; they are read at
 * every token request.
 *
 * <p>Revocations arrive through {@link RevocationListener} on a dedicated PostgreSQL connection.
 * People are served from the cache only while {@link KeycloakEventWatcher} reads Keycloak's admin
 * events, since a user disabled in Keycloak is announced from there. Every check counts in
 * {@code berth_auth_credential_checks_total}, tagged {@code source=cache} (a hit) or
 * {@code source=check} (bcrypt, Keycloak, or both).
 */
@ApplicationScoped
public class CachedCredentials {

    /**
     * What a successful check established.
     *
     * @param notAfter when the credential itself ends (a robot's expiry), or null
     */
    public record Checked(Caller caller, String credential, java.time.Instant notAfter) {}

    private final CredentialCache<Checked> cache;
    private final AuthConfig.Credentials config;
    private final KeycloakEventWatcher keycloakEvents;
    private final Counter hits;
    private final Counter checks;
    private final RevocationListener.Connector database;
    private final ProjectVisibility projects;
    private RevocationListener listener;

    public CachedCredentials(AuthConfig config, KeycloakEventWatcher keycloakEvents, MeterRegistry metrics,
            ProjectVisibility projects,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.config = config.credentials();
        this.keycloakEvents = keycloakEvents;
        this.projects = projects;
        this.cache = new CredentialCache<>(this.config.cacheTtl(), this.config.cacheMaxEntries(),
                this.config.listenerPing().multipliedBy(3), System::nanoTime);
        this.hits = metrics.counter("berth.auth.credential.checks", "source", "cache");
        this.checks = metrics.counter("berth.auth.credential.checks", "source", "check");
        this.database = RevocationListener.Connector.postgres(jdbcUrl, user, password, "berth-auth-revocations");
    }

    void start(@Observes StartupEvent start) {
        listener = new RevocationListener(database, config.listenerPing(), List.of(cache, projects.cache())).start();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (listener != null) {
            listener.close();
        }
    }

    /**
     * The remembered check of {@code name} with {@code secret}, or else the result of
     * {@code check}, remembered if it succeeded.
     *
     * @param check the real check; empty when the credentials are wrong
     */
    public Optional<Checked> check(String name, String secret, Supplier<Optional<Checked>> check) {
        boolean robot = name.startsWith(RobotService.PREFIX);
        boolean cacheable = robot || keycloakEvents.watching();
        String key = cache.key(name, secret);
        if (cacheable) {
            Optional<Checked> remembered = cache.get(key);
            if (remembered.isPresent()) {
                hits.increment();
                return remembered;
            }
        }
        long stamp = cache.stamp();
        checks.increment();
        Optional<Checked> result = check.get();
        // Checked again: the watcher may have stopped while Keycloak answered.
        if (result.isPresent() && (robot || keycloakEvents.watching())) {
            var end = result.get().notAfter();
            long left = end == null ? Long.MAX_VALUE / 4
                    : java.time.Duration.between(java.time.Instant.now(), end).toNanos();
            cache.put(key, result.get().caller().subject(), result.get(), stamp, System.nanoTime() + left);
        }
        return result;
    }

    /** Whether the cache answers now (its revocation listener is connected and recent). */
    public boolean live() {
        return cache.live();
    }
}
