package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Pep440VersionSchemeTest {

    private final VersionScheme pypi = VersionSchemes.of(Ecosystem.PYPI);

    @Test
    void followsTheSpecsOrderingExample() {
        List<String> order = VersionData.lines("pep440-order.data");
        assertEquals(20, order.size());
        VersionData.assertAscending(pypi, order);
    }

    @Test
    void followsOsvScannersPublishedOrderings() {
        assertEquals(37, VersionData.assertComparisons(pypi, VersionData.comparisons("pypi-versions.data")));
    }

    @Test
    void normalisesAsTheSpecSays() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : VersionData.lines("pep440-normalization.data")) {
            int arrow = line.indexOf(" -> ");
            String input = line.substring(0, arrow);
            String normal = line.substring(arrow + 4);
            checked++;
            Optional<String> got = Pep440VersionScheme.normalize(input);
            if (!got.equals(Optional.of(normal))) {
                failures.add("'" + input + "' -> " + got + ", want " + normal);
            } else if (pypi.compare(input, normal) != 0) {
                failures.add("'" + input + "' should compare equal to " + normal);
            }
        }
        assertEquals(23, checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void paddedReleasesAreEqual() {
        // "comparison ... with the shorter release padded with zeros"
        assertEquals(0, pypi.compare("1.0", "1.0.0"));
        assertEquals(0, pypi.compare("1", "1.0.0.0"));
        assertTrue(pypi.compare("1.0.0.1", "1.0") > 0);
        // epochs weigh first
        assertTrue(pypi.compare("1!1.0", "2013.10") > 0);
        assertTrue(pypi.compare("1!1.0", "2!0.1") < 0);
        // dev of a post-release sorts after the release, before the post-release
        assertTrue(pypi.compare("1.0", "1.0.post1.dev1") < 0);
        // "1.0-" is not a valid version and does not normalise to 1.0.post0
        assertFalse(pypi.isValid("1.0-"));
    }

    @Test
    void localVersionsCompareSegmentWise() {
        // numbers after strings, numbers numerically, strings lexically, longer after shorter
        VersionData.assertAscending(pypi, List.of("1.0", "1.0+a", "1.0+abc", "1.0+abc.5", "1.0+abc.7", "1.0+abc.7.1",
                "1.0+5", "1.0+10"));
        assertEquals(0, pypi.compare("1.0+Ubuntu-1", "1.0+ubuntu.1"));
    }

    @Test
    void invalidSortsFirst() {
        for (String v : List.of("", "french toast", "1.0+", "1.0+_foo", "1.0-", "1..0", "1.0a1a1",
                "0.1-bulbasaur")) {
            assertFalse(pypi.isValid(v), v);
            assertTrue(pypi.compare(v, "0.dev0") < 0, v);
        }
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        samples.addAll(VersionData.lines("pep440-order.data"));
        samples.addAll(List.of("1.0.0", "v1.0", "1.0-1", "1.0.post1", "1.0a", "1.0c1", "1.0rc1", "1!0.1"));
        VersionData.assertTotalOrder(pypi, samples);
    }
}
