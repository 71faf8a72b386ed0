package io.berth.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pure parts of the proxy: the rate limiter, query rewriting, routes (trusted proxies: libs/security). */
class OriginTest {

    @Test
    void theLimiterAllowsTheBurstThenTheRate() {
        var limiter = new RateLimiter(2, 3);
        long t = 0;
        assertEquals(0, limiter.acquire("c", t));
        assertEquals(0, limiter.acquire("c", t));
        assertEquals(0, limiter.acquire("c", t));
        assertEquals(1, limiter.acquire("c", t));
        assertEquals(0, limiter.acquire("other", t), "clients are limited apart");
        t += 500_000_000L; // half a second: one more token at 2/s
        assertEquals(0, limiter.acquire("c", t));
        assertEquals(1, limiter.acquire("c", t));
    }

    @Test
    void theInstanceParameterIsTakenOutOfAnyQuery() {
        assertEquals("/v2/a/blobs/uploads/x?_state=s", Proxy.withoutParam("/v2/a/blobs/uploads/x?_state=s&berth-instance=ab", "berth-instance"));
        assertEquals("/v2/a/blobs/uploads/x?_state=s", Proxy.withoutParam("/v2/a/blobs/uploads/x?berth-instance=ab&_state=s", "berth-instance"));
        assertEquals("/v2/a/blobs/uploads/x", Proxy.withoutParam("/v2/a/blobs/uploads/x?berth-instance=ab", "berth-instance"));
        assertEquals("/v2/x?berth-instancex=1", Proxy.withoutParam("/v2/x?berth-instancex=1", "berth-instance"));
    }

    @Test
    void aTraceContextIsKeptWhenValidAndMadeOtherwise() {
        String valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        assertEquals(valid, Proxy.traceparent(valid));
        assertTrue(Proxy.traceparent("garbage").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
        assertFalse(Proxy.traceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01").contains("-" + "0".repeat(32) + "-"));
    }

    @Test
    void theAccessLogNamesThePrincipalNeverTheSecret() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("robot$team+ci:s3cret".getBytes());
        assertEquals("robot$team+ci", AccessLog.principal(basic));
        String claims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"developer\"}".getBytes());
        assertEquals("developer", AccessLog.principal("Bearer eyJhbGciOiJFUzI1NiJ9." + claims + ".sig"));
        assertEquals(null, AccessLog.principal("Bearer not-a-jwt"));
        assertEquals(null, AccessLog.principal(null));
    }
}
