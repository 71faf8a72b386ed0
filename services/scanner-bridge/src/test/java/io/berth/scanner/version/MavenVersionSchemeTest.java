package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class MavenVersionSchemeTest {

    private final VersionScheme maven = VersionSchemes.of(Ecosystem.MAVEN);

    @Test
    void followsMavenVersionOrder() {
        assertEquals(101, VersionData.assertComparisons(maven, VersionData.comparisons("maven-version.data")));
    }

    @Test
    void qualifiersSortAsThePomReferenceSays() {
        // "alpha" < "beta" < "milestone" < "rc" = "cr" < "snapshot" < "" = "final" = "ga" < "sp"
        VersionData.assertAscending(maven, List.of("1-alpha", "1-beta", "1-milestone", "1-rc", "1-SNAPSHOT", "1", "1-sp"));
    }

    @Test
    void onlyBlankIsInvalid() {
        assertTrue(maven.isValid("anything-at-all"));
        assertFalse(maven.isValid(" "));
        assertTrue(maven.compare("", "0") < 0);
        assertTrue(maven.compare(null, "") < 0);
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        for (VersionData.Comparison c : VersionData.comparisons("maven-version.data")) {
            samples.add(c.a());
        }
        VersionData.assertTotalOrder(maven, samples);
    }
}
