package io.berth.security.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies local = new TrustedProxies(List.of("127.0.0.1", "::1", "10.0.0.0/8"));

    @Test
    void addressesAndBlocksOnly() {
        var trusted = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", " "));
        assertTrue(trusted.trusts("10.20.30.40"));
        assertTrue(trusted.trusts("192.168.1.7"));
        assertFalse(trusted.trusts("192.168.1.8"));
        assertTrue(trusted.trusts("fd00::1"));
        assertTrue(trusted.trusts("[fd00::1]"));
        assertFalse(trusted.trusts("11.0.0.1"));
        assertFalse(trusted.trusts("example.com"));
        assertFalse(trusted.trusts(null));
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("not an address")));
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("10.0.0.0/x")));
    }

    @Test
    void theClientIsTheFirstUntrustedHopFromTheRight() {
        // Through the gateway and then registry-api, both trusted: the gateway wrote the client.
        assertEquals("203.0.113.9", local.client("203.0.113.9, 127.0.0.1", "127.0.0.1"));
        // A client's own X-Forwarded-For, passed on by a trusted proxy, is believed only up to the
        // first hop no trusted proxy vouches for.
        assertEquals("198.51.100.1", local.client("1.2.3.4, 198.51.100.1, 10.1.1.1", "127.0.0.1"));
        // From an untrusted peer, the chain means nothing.
        assertEquals("198.51.100.7", local.client("1.2.3.4", "198.51.100.7"));
        assertEquals("127.0.0.1", local.client(null, "127.0.0.1"));
        // Everything trusted: the far end.
        assertEquals("10.9.9.9", local.client("10.9.9.9, 127.0.0.1", "::1"));
        // Garbage stops the walk at the last believed hop.
        assertEquals("10.1.1.1", local.client("evil, 10.1.1.1", "127.0.0.1"));
        assertEquals("127.0.0.1", local.client("", "127.0.0.1"));
        assertEquals("2001:db8::5", local.client("[2001:db8::5]:4711", "127.0.0.1"));
    }

    @Test
    void nobodyIsTrustedByDefault() {
        var none = new TrustedProxies(List.of());
        assertEquals("127.0.0.1", none.client("203.0.113.9", "127.0.0.1"));
    }
}
