package io.berth.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleHeadersTest {

    @Test
    void theIssuersOriginIsTheOneOtherOriginThePageMayReach() {
        Map<String, String> headers = ConsoleHeaders.of(URI.create("https://SSO.example.com/realms/berth"));
        String csp = headers.get("Content-Security-Policy");
        assertTrue(csp.contains("connect-src 'self' https://sso.example.com;"), csp);
        assertTrue(csp.contains("form-action 'self' https://sso.example.com;"), csp);
        assertTrue(csp.startsWith("default-src 'none';"), csp);
        assertEquals("no-referrer", headers.get("Referrer-Policy"));
        assertEquals("DENY", headers.get("X-Frame-Options"));
        assertEquals("nosniff", headers.get("X-Content-Type-Options"));
    }

    @Test
    void anOriginKeepsItsPortUnlessItIsTheSchemesDefault() {
        assertEquals("http://127.0.0.1:8180", ConsoleHeaders.origin(URI.create("http://127.0.0.1:8180/realms/berth")));
        assertEquals("https://sso.example.com", ConsoleHeaders.origin(URI.create("https://sso.example.com:443/realms/b")));
        assertEquals("http://sso.example.com", ConsoleHeaders.origin(URI.create("http://sso.example.com:80/")));
        assertEquals("https://[::1]:8443", ConsoleHeaders.origin(URI.create("https://[::1]:8443/realms/berth")));
    }

    @Test
    void anIssuerThatIsNoHttpUrlIsRefused() {
        for (String issuer : new String[] {"/realms/berth", "ftp://sso.example.com/realms/berth", "sso.example.com",
                "https:///realms/berth"}) {
            assertThrows(IllegalArgumentException.class, () -> ConsoleHeaders.origin(URI.create(issuer)), issuer);
        }
    }
}
