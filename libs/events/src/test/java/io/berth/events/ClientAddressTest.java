package io.berth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void theFirstForwardedAddressIsTheClient() {
        assertEquals("203.0.113.9", ClientAddress.of("203.0.113.9", "127.0.0.1"));
        assertEquals("203.0.113.9", ClientAddress.of(" 203.0.113.9 , 10.0.0.1, 10.0.0.2", "127.0.0.1"));
        assertEquals("2001:db8::7", ClientAddress.of("2001:db8::7, 10.0.0.1", "127.0.0.1"));
    }

    @Test
    void withoutAForwardedAddressThePeerIsTheClient() {
        assertEquals("127.0.0.1", ClientAddress.of(null, "127.0.0.1"));
        assertEquals("127.0.0.1", ClientAddress.of("  ", "127.0.0.1"));
        assertEquals("127.0.0.1", ClientAddress.of(" , 10.0.0.1", "127.0.0.1"), "an empty first entry names no one");
        assertNull(ClientAddress.of(null, null));
    }
}
