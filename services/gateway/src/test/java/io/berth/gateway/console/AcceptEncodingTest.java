package io.berth.gateway.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void listedCodingsWithAWeightAboveZeroAreTaken() {
        AcceptEncoding browser = AcceptEncoding.parse("gzip, deflate, br, zstd");
        assertTrue(browser.allows("br"));
        assertTrue(browser.allows("gzip"));
        AcceptEncoding weighted = AcceptEncoding.parse("br;q=0, GZIP;q=0.5");
        assertFalse(weighted.allows("br"));
        assertTrue(weighted.allows("gzip"));
        assertTrue(AcceptEncoding.parse("x-gzip").allows("gzip"));
    }

    @Test
    void theWildcardCoversWhatIsNotListed() {
        AcceptEncoding any = AcceptEncoding.parse("*;q=0.1, br;q=0");
        assertTrue(any.allows("gzip"));
        assertFalse(any.allows("br"));
        assertFalse(AcceptEncoding.parse("*;q=0").allows("gzip"));
    }

    @Test
    void noHeaderOrNonsenseTakesNothing() {
        assertFalse(AcceptEncoding.parse(null).allows("gzip"));
        assertFalse(AcceptEncoding.parse("").allows("br"));
        assertFalse(AcceptEncoding.parse("identity").allows("gzip"));
        assertFalse(AcceptEncoding.parse("br;q=2").allows("br"));
        assertFalse(AcceptEncoding.parse("br;q=high").allows("br"));
        assertFalse(AcceptEncoding.parse("gzip;q=0.000").allows("gzip"));
    }
}
