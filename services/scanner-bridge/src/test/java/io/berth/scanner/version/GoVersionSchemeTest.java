package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoVersionSchemeTest {

    private final VersionScheme go = VersionSchemes.of(Ecosystem.GO);

    @Test
    void followsXModSemverTable() {
        List<String[]> rows = new ArrayList<>();
        for (String line : VersionData.lines("go-semver.data")) {
            rows.add(line.split(" "));
        }
        assertEquals(32, rows.size());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] a = rows.get(i);
            boolean valid = a.length == 2;
            if (go.isValid(a[0]) != valid) {
                failures.add(a[0] + " valid should be " + valid);
            }
            for (int j = 0; j < rows.size(); j++) {
                String[] b = rows.get(j);
                int want;
                if (valid && b.length == 2) {
                    want = a[1].equals(b[1]) ? 0 : Integer.compare(i, j);
                } else if (valid || b.length == 2) {
                    want = valid ? 1 : -1;
                } else {
                    continue; // invalid versions: x/mod calls them equal, berth orders them lexically
                }
                int got = Integer.signum(go.compare(a[0], b[0]));
                if (got != want) {
                    failures.add(a[0] + " vs " + b[0] + ": " + got + ", want " + want);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void ordersPseudoVersionsAsTheModulesReferenceSays() {
        assertEquals(12, VersionData.assertComparisons(go, VersionData.comparisons("go-pseudo.data")));
    }

    @Test
    void isATotalOrderOverValidAndGarbage() {
        List<String> samples = VersionData.garbage();
        for (String line : VersionData.lines("go-semver.data")) {
            samples.add(line.split(" ")[0]);
        }
        for (VersionData.Comparison c : VersionData.comparisons("go-pseudo.data")) {
            samples.add(c.a());
        }
        VersionData.assertTotalOrder(go, samples);
    }
}
