package io.berth.registry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.security.token.Jwks;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** TokenKeys under a burst of requests carrying a key it has not loaded yet. */
class TokenKeysTest {

    private static ECPublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return (ECPublicKey) generator.generateKeyPair().getPublic();
    }

    @Test
    void requestsArrivingDuringAFetchWaitForItInsteadOfBeingRefused() throws Exception {
        String jwks = Jwks.toJson(Map.of("k1", newKey()));
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch fetching = new CountDownLatch(1);
        TokenKeys keys = new TokenKeys(() -> {
            fetches.incrementAndGet();
            fetching.countDown();
            Thread.sleep(300); // auth answering slowly, as on a machine under load
            return jwks;
        }, Duration.ofSeconds(10));

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> found = new ArrayList<>();
            found.add(pool.submit(() -> keys.find("k1").isPresent()));
            assertTrue(fetching.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 15; i++) {
                found.add(pool.submit(() -> keys.find("k1").isPresent()));
            }
            for (Future<Boolean> f : found) {
                assertTrue(f.get(10, TimeUnit.SECONDS), "a request during the fetch found no key");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, fetches.get(), "one fetch serves the whole burst");
    }

    @Test
    void unknownKeyIdsFetchAtMostOncePerMinimumRefresh() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        String jwks = Jwks.toJson(Map.of("k1", newKey()));
        TokenKeys keys = new TokenKeys(() -> {
            fetches.incrementAndGet();
            return jwks;
        }, Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
            assertTrue(keys.find("bogus-" + i).isEmpty());
        }
        assertTrue(keys.find("k1").isPresent());
        assertEquals(1, fetches.get());
    }

    @Test
    void aFailedFetchKeepsTheKeysAlreadyLoaded() throws Exception {
        String jwks = Jwks.toJson(Map.of("k1", newKey()));
        AtomicInteger calls = new AtomicInteger();
        TokenKeys keys = new TokenKeys(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new java.io.IOException("auth is down");
            }
            return jwks;
        }, Duration.ZERO);
        assertTrue(keys.find("k1").isPresent());
        assertTrue(keys.find("k2").isEmpty());
        assertTrue(keys.find("k1").isPresent());
        assertEquals(2, calls.get());
    }
}
