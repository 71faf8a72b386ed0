package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.berth.scanner.model.Ecosystem;
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
}
