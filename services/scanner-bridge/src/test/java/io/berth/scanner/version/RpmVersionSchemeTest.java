package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpmVersionSchemeTest {

    private final VersionScheme rpm = VersionSchemes.of(Ecosystem.RED_HAT);

    @Test
    void followsRpmvercmpTestCases() {
        assertEquals(91, VersionData.assertComparisons(rpm, VersionData.comparisons("rpmvercmp.data")));
    }

    @Test
    void comparesEpochThenVersionThenRelease() {
        // the epoch overrides the version; a missing epoch is 0
        assertTrue(rpm.compare("1:1.0-1", "2.0-1") > 0);
        assertEquals(0, rpm.compare("0:1.0-1", "1.0-1"));
        assertEquals(0, rpm.compare("01:1.0-1", "1:1.0-1"));
        // the release decides between equal versions, split at the last hyphen
        assertTrue(rpm.compare("1.0-1.el8", "1.0-2.el8") < 0);
        assertTrue(rpm.compare("3.10.0-229.el7", "3.10.0-229.1.2.el7") < 0);
        assertTrue(rpm.compare("1.0-1", "1.0.1-0") < 0);
        // a missing release is older than any release
        assertTrue(rpm.compare("1.0", "1.0-0") < 0);
        assertTrue(rpm.compare("1.0~rc1-5", "1.0-1") < 0);
    }

    @Test
    void invalidSortsFirst() {
        for (String v : List.of("", " ", "1.0 1", "a:1", "1:2:3", "1.ü", "1\u00002")) {
            assertFalse(rpm.isValid(v), v);
            assertTrue(rpm.compare(v, "0") < 0, v);
        }
        assertTrue(rpm.isValid(":1.0"));
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        for (VersionData.Comparison c : VersionData.comparisons("rpmvercmp.data")) {
            samples.add(c.a());
        }
        samples.addAll(List.of("1:1.0-1", "1.0-1.el8", "1.0~rc1-5", "1.0^git1-2"));
        VersionData.assertTotalOrder(rpm, samples);
    }
}
