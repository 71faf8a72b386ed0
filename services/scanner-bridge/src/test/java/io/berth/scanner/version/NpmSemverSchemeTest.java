package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class NpmSemverSchemeTest {

    private final VersionScheme npm = VersionSchemes.of(Ecosystem.NPM);

    @Test
    void followsSemverOrgPrecedenceExamples() {
        VersionData.assertAscending(npm, VersionData.lines("semver-precedence.data"));
    }

    @Test
    void ignoresBuildMetadata() {
        // semver.org §10: "Build metadata MUST be ignored when determining version precedence"
        assertEquals(0, npm.compare("1.0.0-alpha+001", "1.0.0-alpha"));
        assertEquals(0, npm.compare("1.0.0+20130313144700", "1.0.0"));
        assertEquals(0, npm.compare("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta"));
    }

    @Test
    void comparesAlphanumericIdentifiersInAsciiOrder() {
        // §11.4.2: identifiers with letters or hyphens compare lexically in ASCII sort order
        // (semver4j 6 compares "rc10" after "rc9" by its digits; npm and Go do not)
        assertTrue(npm.compare("1.0.0-rc10", "1.0.0-rc9") < 0);
        assertTrue(npm.compare("1.0.0-a-10", "1.0.0-a-9") < 0);
        assertTrue(npm.compare("1.0.0-beta11", "1.0.0-beta2") < 0);
        // §11.4.1: numeric identifiers numerically, however long
        assertTrue(npm.compare("1.0.0-1234567890123456789012", "1.0.0-999") > 0);
        // §11.4.3: numeric identifiers before alphanumeric ones
        assertTrue(npm.compare("1.0.0-999", "1.0.0-0a") < 0);
    }

    @Test
    void acceptsLooseSpellings() {
        assertEquals(0, npm.compare("v1.2.3", "1.2.3"));
        assertEquals(0, npm.compare("=1.2.3", "1.2.3"));
        assertEquals(0, npm.compare(" 1.2.3 ", "1.2.3"));
        assertEquals(0, npm.compare("1.2", "1.2.0"));
        assertEquals(0, npm.compare("1", "1.0.0"));
        assertEquals(0, npm.compare("01.02.03", "1.2.3"));
        assertEquals(0, npm.compare("1.2.3beta", "1.2.3-beta"));
        assertTrue(npm.compare("1.2-rc.1", "1.2.0") < 0);
    }

    @Test
    void invalidSortsFirst() {
        for (String v : List.of("", "a.b.c", "1.2.3.4", "1.2.3-", "1.2.3+", "1.2.3-a..b",
                "9999999999.0.0")) {
            assertFalse(npm.isValid(v), v);
            assertTrue(npm.compare(v, "0.0.0-0") < 0, v);
        }
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        samples.addAll(VersionData.lines("semver-precedence.data"));
        samples.addAll(List.of("v1.2.3", "1.2", "1.0.0+build", "1.0.0-alpha+b", "1.2.3beta"));
        VersionData.assertTotalOrder(npm, samples);
    }
}
