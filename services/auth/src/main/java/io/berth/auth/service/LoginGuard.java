package io.berth.auth.service;

import io.berth.auth.config.AuthConfig;
import io.berth.auth.events.AuditOutbox;
import io.berth.events.EventType;
import io.berth.security.net.TrustedProxies;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Slows down password guessing: after {@code berth.auth.logins.max-failures} failed logins for
 * one account, or {@code max-failures-per-address} from one client address, within
 * {@code window}, further attempts are refused without being checked until the window ends.
 * A success clears the account's count. Every failure counts in
 * {@code berth_auth_login_failures_total} and becomes an {@code auth.login_failed} audit event;
 * neither carries the secret. Counts live in this replica's memory: with N replicas an attacker
 * gets at most N times the limit.
 */
@ApplicationScoped
public class LoginGuard {

    private static final Logger LOG = Logger.getLogger(LoginGuard.class);
    private static final int MAX_TRACKED = 100_000;

    /** Refused before checking: how long until the caller may try again. */
    public record Refusal(Duration retryAfter) {}

    private record Window(long startNanos, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AuthConfig.Logins config;
    private final MeterRegistry metrics;
    private final AuditOutbox audit;
    private final TrustedProxies proxies;

    public LoginGuard(AuthConfig config, MeterRegistry metrics, AuditOutbox audit) {
        this.config = config.logins();
        this.metrics = metrics;
        this.audit = audit;
        this.proxies = new TrustedProxies(this.config.trustedProxies().orElse(java.util.List.of()));
    }

    /**
     * The client address failures are counted under: the connection's {@code peer}, or, when the
     * peer is a trusted proxy ({@code berth.auth.logins.trusted-proxies}), the first address of
     * {@code forwardedFor} from the right that no trusted proxy added.
     */
    public String clientOf(String forwardedFor, String peer) {
        return proxies.client(forwardedFor, peer);
    }

    /** Whether a login for {@code account} from {@code address} may be checked now; a refusal if not. */
    public java.util.Optional<Refusal> refusal(String account, String address) {
        Duration forAccount = remaining("account:" + account, config.maxFailures());
        Duration forAddress = remaining("address:" + address, config.maxFailuresPerAddress());
        Duration wait = forAccount.compareTo(forAddress) >= 0 ? forAccount : forAddress;
        return wait.isZero() ? java.util.Optional.empty() : java.util.Optional.of(new Refusal(wait));
    }

    /** Records a failed login (wrong secret, unknown account, or refused by the limit). */
    public void failed(String account, String address, String kind, String reason) {
        if (windows.size() > MAX_TRACKED) {
            long now = System.nanoTime();
            windows.values().removeIf(w -> now - w.startNanos() > config.window().toNanos());
        }
        count("account:" + account);
        count("address:" + address);
        metrics.counter("berth.auth.login.failures", "kind", kind, "reason", reason).increment();
        try {
            audit.write(EventType.AUTH_LOGIN_FAILED, account,
                    Map.of("account", account, "address", address, "kind", kind, "reason", reason));
        } catch (RuntimeException e) {
            // The refusal stands either way; the metric still counts it.
            LOG.warnf("could not record a failed login of %s: %s", account, e.getMessage());
        }
    }

    /** A successful login clears the account's failures (not the address's). */
    public void succeeded(String account) {
        windows.remove("account:" + account);
    }

    private void count(String key) {
        long now = System.nanoTime();
        windows.merge(key, new Window(now, 1), (old, one) -> now - old.startNanos() > config.window().toNanos()
                ? one : new Window(old.startNanos(), old.failures() + 1));
    }

    private Duration remaining(String key, int limit) {
        Window w = windows.get(key);
        if (w == null || w.failures() < limit) {
            return Duration.ZERO;
        }
        long left = config.window().toNanos() - (System.nanoTime() - w.startNanos());
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }
}
