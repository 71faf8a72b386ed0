package io.berth.security.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private CredentialCache<String> cache;

    @BeforeEach
    void live() {
        cache = new CredentialCache<>(Duration.ofSeconds(60), 3, Duration.ofMillis(1500), now::get);
        cache.confirmed();
    }

    @Test
    void aSuccessIsRememberedForTheTtlOnly() {
        cache.put(cache.key("robot$a+ci", "secret"), "robot$a+ci", "who", cache.stamp());
        assertEquals(Optional.of("who"), cache.get(cache.key("robot$a+ci", "secret")));
        advance(Duration.ofSeconds(1));
        cache.confirmed();
        assertEquals(Optional.empty(), cache.get(cache.key("robot$a+ci", "other")));
        advance(Duration.ofSeconds(60));
        cache.confirmed();
        assertEquals(Optional.empty(), cache.get(cache.key("robot$a+ci", "secret")));
    }

    @Test
    void anEarlierBoundWins() {
        cache.put("k", "alice", "token", cache.stamp(), now.get() + Duration.ofSeconds(5).toNanos());
        advance(Duration.ofSeconds(5));
        cache.confirmed();
        assertEquals(Optional.empty(), cache.get("k"));
    }

    @Test
    void keysAreKeyedHashesThatSeparateTheirParts() {
        assertNotEquals(cache.key("ab", "c"), cache.key("a", "bc"));
        assertEquals(cache.key("a", "b"), cache.key("a", "b"));
        assertTrue(!cache.key("alice", "hunter2").contains("hunter2"));
        var other = new CredentialCache<String>(Duration.ofSeconds(1), 1, Duration.ofSeconds(1), now::get);
        assertNotEquals(cache.key("a", "b"), other.key("a", "b"), "the HMAC key is random per cache");
    }

    @Test
    void evictionRemovesOnlyThatPrincipal() {
        cache.put("a", "Alice", "1", cache.stamp());
        cache.put("b", "robot$p+ci", "2", cache.stamp());
        cache.evict("alice");
        assertEquals(Optional.empty(), cache.get("a"));
        assertEquals(Optional.of("2"), cache.get("b"));
        RevocationListener.apply(RevocationListener.ALL_USERS, cache);
        assertEquals(Optional.of("2"), cache.get("b"));
        RevocationListener.apply(RevocationListener.EVERYTHING, cache);
        assertEquals(Optional.empty(), cache.get("b"));
    }

    @Test
    void aCheckThatRacedARevocationIsNotStored() {
        long stamp = cache.stamp();
        cache.evict("alice"); // arrives while alice's check runs
        cache.put("a", "alice", "stale", stamp);
        assertEquals(Optional.empty(), cache.get("a"));
    }

    @Test
    void withoutARecentConfirmationNothingIsServedOrStored() {
        var fresh = new CredentialCache<String>(Duration.ofSeconds(60), 10, Duration.ofMillis(1500), now::get);
        fresh.put("a", "alice", "1", fresh.stamp());
        fresh.confirmed();
        assertEquals(Optional.empty(), fresh.get("a"), "never confirmed: put was ignored");
        fresh.put("a", "alice", "1", fresh.stamp());
        assertEquals(Optional.of("1"), fresh.get("a"));
        advance(Duration.ofMillis(1500));
        assertEquals(Optional.empty(), fresh.get("a"), "the listener went quiet");
    }

    @Test
    void aFullCacheMakesRoom() {
        for (int i = 0; i < 5; i++) {
            cache.put("k" + i, "p" + i, "v", cache.stamp());
        }
        assertTrue(cache.size() <= 3);
        assertEquals(Optional.of("v"), cache.get("k4"));
    }

    @Test
    void aZeroTtlTurnsItOff() {
        var off = new CredentialCache<String>(Duration.ZERO, 10, Duration.ofSeconds(2), now::get);
        off.confirmed();
        off.put("a", "alice", "1", off.stamp());
        assertEquals(Optional.empty(), off.get("a"));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
