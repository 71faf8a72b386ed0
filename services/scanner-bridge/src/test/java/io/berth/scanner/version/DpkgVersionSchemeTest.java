package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DpkgVersionSchemeTest {

    private final VersionScheme dpkg = VersionSchemes.of(Ecosystem.DEBIAN);

    @Test
    void followsPolicyAndDpkgExamples() {
        assertEquals(35, VersionData.assertComparisons(dpkg, VersionData.comparisons("dpkg-version.data")));
    }

    @Test
    void policyTildeChainIsAscending() {
        // §5.6.12: "~~, ~~a, ~, the empty part, a", here as upstream versions and as revisions
        VersionData.assertAscending(dpkg, List.of("1~~", "1~~a", "1~", "1", "1a"));
        VersionData.assertAscending(dpkg, List.of("1-1~~", "1-1~~a", "1-1~", "1-1", "1-1a"));
    }

    @Test
    void rejectsWhatDpkgRejects() {
        List<String> invalid = new ArrayList<>(VersionData.lines("dpkg-invalid.data"));
        invalid.add("");
        invalid.add("  ");
        for (char c : "!#@$%&/|\\<>()[]{};,_=*^'".toCharArray()) {
            invalid.add("0:0" + c + "-0");
        }
        for (char c : "!#@$%&/|\\<>()[]{}:;,_=*^'".toCharArray()) {
            invalid.add("0:0-" + c);
        }
        for (String v : invalid) {
            assertFalse(dpkg.isValid(v), v);
            assertTrue(dpkg.compare(v, "0") < 0, "invalid sorts first: " + v);
        }
        // dpkg only warns about an upstream version that does not start with a digit
        assertTrue(dpkg.isValid("0:abc3-0"));
        assertTrue(dpkg.isValid("2:1.2.3+dfsg-4ubuntu0.1~22.04"));
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        for (VersionData.Comparison c : VersionData.comparisons("dpkg-version.data")) {
            samples.add(c.a());
            samples.add(c.b());
        }
        VersionData.assertTotalOrder(dpkg, samples);
    }
}
