package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApkVersionSchemeTest {

    private final VersionScheme apk = VersionSchemes.of(Ecosystem.ALPINE);

    @Test
    void followsApkToolsTestVectors() {
        assertEquals(107, VersionData.assertComparisons(apk, VersionData.comparisons("apk-version.data")));
    }

    @Test
    void validatesLikeApkTools() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : VersionData.lines("apk-version.data")) {
            if (line.contains(" ")) {
                continue;
            }
            boolean wantValid = !line.startsWith("!");
            String v = wantValid ? line : line.substring(1);
            checked++;
            if (apk.isValid(v) != wantValid) {
                failures.add(v + " should be " + (wantValid ? "valid" : "invalid"));
            }
        }
        assertEquals(31, checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void suffixesSortInApkOrder() {
        // a revision ends the version, so any post-release suffix is newer than a revision of the release
        VersionData.assertAscending(apk, List.of("1.0_alpha", "1.0_beta", "1.0_pre", "1.0_rc", "1.0", "1.0-r1",
                "1.0_cvs", "1.0_svn", "1.0_git", "1.0_hg", "1.0_p", "1.0a", "1.0.1"));
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        List<VersionData.Comparison> all = VersionData.comparisons("apk-version.data");
        for (VersionData.Comparison c : all.subList(0, Math.min(150, all.size()))) {
            samples.add(c.a());
        }
        samples.addAll(List.of("1.0bc", "1.0b", "1.0_foo", "1.0_alpha_foo", "1.0~abc-r1", "1.0~abcx", "1.0-r1x"));
        VersionData.assertTotalOrder(apk, samples);
    }
}
