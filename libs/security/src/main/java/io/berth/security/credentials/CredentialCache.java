package io.berth.security.credentials;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful credential checks, remembered briefly so that the next request with the same
 * credentials costs no bcrypt, Keycloak call or token exchange (docs/adr/0020). Shared by auth
 * (who a caller is) and registry-api (the token a Basic header was exchanged for).
 *
 * <p>Entries are keyed by {@link #key}, an HMAC-SHA256 under a random key made per process: the
 * credential itself is never kept, and a heap dump yields nothing that can be tried elsewhere.
 * Each entry names its principal (a username or robot name), by which {@link #evict} removes it
 * when a {@link RevocationListener} hears that the principal changed.
 *
 * <p>The cache only answers while its listener has confirmed, within the last
 * {@code liveWindow}, that it would have heard of a revocation ({@link #confirmed}); otherwise
 * every lookup misses and nothing is stored, so a broken notification channel costs speed,
 * never a revoked credential that keeps working. A check that ran while any revocation arrived
 * is not stored ({@link #stamp}), so a check racing a revocation cannot put back what was just
 * evicted. Failures are never stored: callers put only successes.
 *
 * @param <V> what a successful check yields
 */
public final class CredentialCache<V> {

    private record Entry<V>(String principal, V value, long expiresAtNanos) {}

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong revocations = new AtomicLong();
    private final byte[] hmacKey = new byte[32];
    private final long ttlNanos;
    private final int maxEntries;
    private final long liveWindowNanos;
    private final LongSupplier nanoClock;
    private volatile long confirmedAtNanos;
    private volatile boolean confirmedEver;

    /**
     * @param ttl how long a success is remembered at most; zero turns the cache off
     * @param maxEntries the most entries held; beyond it expired ones go, then all
     * @param liveWindow how long after the listener's last confirmation the cache still answers
     * @param nanoClock {@link System#nanoTime}, or a test's clock
     */
    public CredentialCache(Duration ttl, int maxEntries, Duration liveWindow, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.liveWindowNanos = liveWindow.toNanos();
        this.nanoClock = nanoClock;
        new SecureRandom().nextBytes(hmacKey);
    }

    /**
     * The key of a credential: HMAC-SHA256 of the parts (each length-prefixed, so that
     * {@code ("ab", "c")} and {@code ("a", "bc")} differ) under this process's random key.
     */
    public String key(String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** The remembered value of {@code key}, if it is there, unexpired, and the cache is live. */
    public Optional<V> get(String key) {
        if (!live()) {
            return Optional.empty();
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoClock.getAsLong() - e.expiresAtNanos() >= 0) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Taken before a check, and given to {@link #put}: a revocation in between voids the put. */
    public long stamp() {
        return revocations.get();
    }

    /**
     * Remembers a successful check, for the TTL or until {@code notAfterNanos} (a
     * {@link System#nanoTime} value), whichever is sooner.
     *
     * @param stamp {@link #stamp} from before the check began
     */
    public void put(String key, String principal, V value, long stamp, long notAfterNanos) {
        long now = nanoClock.getAsLong();
        long expires = now + ttlNanos;
        if (notAfterNanos - expires < 0) {
            expires = notAfterNanos;
        }
        if (ttlNanos <= 0 || expires - now <= 0 || !live()) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(principal, value, expires));
        if (revocations.get() != stamp) {
            // A revocation arrived while the check ran (or just now): what the check saw may be stale.
            entries.remove(key);
        }
    }

    /** {@link #put} with no bound but the TTL. */
    public void put(String key, String principal, V value, long stamp) {
        put(key, principal, value, stamp, nanoClock.getAsLong() + ttlNanos);
    }

    /** Forgets every entry of {@code principal} (compared ignoring case, as Keycloak names are). */
    public void evict(String principal) {
        evictIf(p -> p.equalsIgnoreCase(principal));
    }

    /** Forgets every entry whose principal matches. */
    public void evictIf(Predicate<String> principal) {
        revocations.incrementAndGet();
        entries.values().removeIf(e -> principal.test(e.principal()));
    }

    /** Forgets everything (the listener reconnected, and may have missed revocations). */
    public void clear() {
        revocations.incrementAndGet();
        entries.clear();
    }

    /** The listener has just confirmed that it hears revocations. */
    public void confirmed() {
        confirmedAtNanos = nanoClock.getAsLong();
        confirmedEver = true;
    }

    /** Whether the listener confirmed recently enough for entries to be trusted. */
    public boolean live() {
        return confirmedEver && nanoClock.getAsLong() - confirmedAtNanos < liveWindowNanos;
    }

    /** How many entries are held (expired ones included until they are next looked at). */
    public int size() {
        return entries.size();
    }
}
