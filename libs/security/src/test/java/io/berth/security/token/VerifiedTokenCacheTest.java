package io.berth.security.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.security.Scope;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A token's signature is checked once; time, and every other token, still are. */
class VerifiedTokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final List<Scope> PULL = List.of(Scope.parse("repository:team/app:pull"));

    /** A clock a test moves. */
    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final KeyPair key = newKey();
    private final MovableClock clock = new MovableClock();
    private final AtomicInteger keyLookups = new AtomicInteger();
    private final TokenVerifier verifier = new TokenVerifier(kid -> {
        keyLookups.incrementAndGet();
        return "k1".equals(kid) ? Optional.of((ECPublicKey) key.getPublic()) : Optional.empty();
    }, "berth", SKEW, clock);

    private static KeyPair newKey() {
        try {
            var gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(String subject, Instant at) {
        return new TokenSigner("k1", (ECPrivateKey) key.getPrivate(), "berth-auth", Clock.fixed(at, ZoneOffset.UTC))
                .sign(subject, "berth", Duration.ofMinutes(5), PULL);
    }

    @Test
    void theSameTokenIsVerifiedOnceAndServedAfter() {
        var cache = new VerifiedTokenCache(verifier, SKEW, clock, 100);
        String token = sign("developer", T0);
        RegistryToken first = cache.verify(token);
        for (int i = 0; i < 50; i++) {
            assertSame(first, cache.verify(new String(token.toCharArray())), "a copy of the string is a hit");
        }
        assertEquals(1, keyLookups.get(), "one verification for 51 requests");
        assertEquals("developer", first.subject());
    }

    @Test
    void aCachedTokenStopsWorkingWhenItExpires() {
        var cache = new VerifiedTokenCache(verifier, SKEW, clock, 100);
        String token = sign("developer", T0);
        cache.verify(token);
        clock.now = T0.plus(Duration.ofMinutes(5)).plus(SKEW);
        assertEquals(TokenException.Reason.EXPIRED, assertThrows(TokenException.class, () -> cache.verify(token)).reason());
        assertEquals(0, cache.size(), "an expired token is dropped");
        assertEquals(TokenException.Reason.EXPIRED, assertThrows(TokenException.class, () -> cache.verify(token)).reason());
    }

    @Test
    void aTokenDifferingByOneCharacterIsVerifiedAfreshAndRefused() {
        var cache = new VerifiedTokenCache(verifier, SKEW, clock, 100);
        String token = sign("developer", T0);
        cache.verify(token);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        assertEquals(TokenException.Reason.BAD_SIGNATURE,
                assertThrows(TokenException.class, () -> cache.verify(forged)).reason());
        assertEquals(2, keyLookups.get());
        assertEquals(1, cache.size(), "a refused token is not remembered");
    }

    @Test
    void aTokenNotYetValidIsRefusedEvenWhenCached() {
        var cache = new VerifiedTokenCache(verifier, SKEW, clock, 100);
        String future = sign("developer", T0.plusSeconds(20)); // within the skew: accepted now
        cache.verify(future);
        clock.now = T0.minusSeconds(60); // a clock stepped back: before nbf by more than the skew
        assertEquals(TokenException.Reason.NOT_YET_VALID,
                assertThrows(TokenException.class, () -> cache.verify(future)).reason());
    }

    @Test
    void theCacheNeverHoldsMoreThanItsCapacity() {
        var cache = new VerifiedTokenCache(verifier, SKEW, clock, 8);
        for (int i = 0; i < 50; i++) {
            cache.verify(sign("user-" + i, T0));
            assertTrue(cache.size() <= 8, "size " + cache.size());
        }
        assertThrows(TokenException.class, () -> cache.verify("not.a.jwt"));
        assertThrows(TokenException.class, () -> cache.verify(null));
    }
}
