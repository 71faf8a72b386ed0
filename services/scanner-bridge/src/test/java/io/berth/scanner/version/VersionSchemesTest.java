package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionSchemesTest {

    @Test
    void everySchemeHasOneSingletonOfItsOwnKind() {
        for (Ecosystem.Scheme s : Ecosystem.Scheme.values()) {
            assertEquals(s, VersionSchemes.of(s).scheme());
            assertSame(VersionSchemes.of(s), VersionSchemes.of(s));
        }
    }

    @Test
    void ecosystemsShareTheirSchemesComparator() {
        for (Ecosystem e : Ecosystem.values()) {
            assertSame(VersionSchemes.of(e.scheme()), VersionSchemes.of(e));
        }
        assertSame(VersionSchemes.of(Ecosystem.DEBIAN), VersionSchemes.of(Ecosystem.UBUNTU));
    }

    @Test
    void garbageNeverThrowsAnywhere() {
        for (Ecosystem.Scheme s : Ecosystem.Scheme.values()) {
            VersionData.assertTotalOrder(VersionSchemes.of(s), VersionData.garbage());
        }
    }

    @Test
    void overlongStringsAreInvalidAndStillOrdered() {
        // a hostile image can carry a version field of megabytes: java.util.regex and
        // maven-artifact recurse per segment and overflowed the stack on these before the cap
        List<String> overlong = List.of("1.".repeat(100_000) + "1", "1-".repeat(100_000) + "1",
                "1.0-" + "a.".repeat(100_000) + "a", "1.0+" + "a.".repeat(100_000) + "a", "1_p".repeat(100_000));
        for (Ecosystem.Scheme s : Ecosystem.Scheme.values()) {
            VersionScheme scheme = VersionSchemes.of(s);
            for (String v : overlong) {
                assertFalse(scheme.isValid(v), s + " " + v.substring(0, 10));
                assertTrue(scheme.compare(v, "1") < 0, s + " " + v.substring(0, 10));
            }
            VersionData.assertTotalOrder(scheme, overlong);
        }
        // right at the cap a version still parses
        String longest = "1.0.0-" + "a".repeat(VersionSchemes.MAX_LENGTH - 6);
        assertEquals(VersionSchemes.MAX_LENGTH, longest.length());
        assertTrue(VersionSchemes.of(Ecosystem.NPM).isValid(longest));
        assertFalse(VersionSchemes.of(Ecosystem.NPM).isValid(longest + "a"));
    }
}
