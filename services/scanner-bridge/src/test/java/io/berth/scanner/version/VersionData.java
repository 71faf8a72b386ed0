package io.berth.scanner.version;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the published version orderings under src/test/resources/io/berth/scanner/version
 * (each file says where it comes from) and checks a scheme against them, collecting every
 * failure so one run shows all broken vectors, not only the first.
 */
final class VersionData {

    /** "a OP b"; a keeps its leading blanks (dpkg's vectors test them). */
    private static final Pattern COMPARISON = Pattern.compile("(.*?) (<|>|=|~|<~|>~|!~) (\\S+)");

    record Comparison(String a, String op, String b, int line) {
    }

    private VersionData() {
    }

    /** The lines of a resource without comments ('#' at the start or after blanks) and blank lines. */
    static List<String> lines(String resource) {
        InputStream in = VersionData.class.getResourceAsStream(resource);
        assertNotNull(in, "missing test resource " + resource);
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                line = line.replaceFirst("\\s+#.*$", "");
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The 'a OP b' lines of a resource, in order (other lines are skipped). */
    static List<Comparison> comparisons(String resource) {
        List<Comparison> out = new ArrayList<>();
        List<String> lines = lines(resource);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = COMPARISON.matcher(lines.get(i));
            if (m.matches()) {
                out.add(new Comparison(m.group(1), m.group(2), m.group(3), i + 1));
            }
        }
        return out;
    }

    /** Asserts every ordering comparison (< > =) holds both ways round; returns how many were checked. */
    static int assertComparisons(VersionScheme scheme, List<Comparison> comparisons) {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Comparison c : comparisons) {
            int want;
            switch (c.op()) {
                case "<":
                    want = -1;
                    break;
                case ">":
                    want = 1;
                    break;
                case "=":
                    want = 0;
                    break;
                default:
                    continue; // apk's fuzzy matching operators are not an order
            }
            checked++;
            int got = Integer.signum(scheme.compare(c.a(), c.b()));
            int back = Integer.signum(scheme.compare(c.b(), c.a()));
            if (got != want || back != -want) {
                failures.add("'" + c.a() + "' " + c.op() + " '" + c.b() + "': compare gave " + got + ", reversed " + back);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " comparisons broken:\n" + String.join("\n", failures));
        return checked;
    }

    /** Asserts the versions are in strictly ascending order, every pair checked. */
    static void assertAscending(VersionScheme scheme, List<String> versions) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            for (int j = 0; j < versions.size(); j++) {
                int want = Integer.compare(i, j);
                int got = Integer.signum(scheme.compare(versions.get(i), versions.get(j)));
                if (got != want) {
                    failures.add("'" + versions.get(i) + "' vs '" + versions.get(j) + "': " + got + ", want " + want);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Asserts compare never throws and is a total preorder over the samples: reflexive,
     * antisymmetric in sign, transitive, and equal elements compare alike with everything.
     */
    static void assertTotalOrder(VersionScheme scheme, List<String> samples) {
        int n = samples.size();
        int[][] cmp = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cmp[i][j] = Integer.signum(scheme.compare(samples.get(i), samples.get(j)));
            }
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < n && failures.size() < 20; i++) {
            if (cmp[i][i] != 0) {
                failures.add("not reflexive: " + samples.get(i));
            }
            for (int j = 0; j < n; j++) {
                if (cmp[i][j] != -cmp[j][i]) {
                    failures.add("not antisymmetric: '" + samples.get(i) + "', '" + samples.get(j) + "'");
                }
                for (int k = 0; k < n; k++) {
                    if (cmp[i][j] <= 0 && cmp[j][k] <= 0 && cmp[i][k] > 0) {
                        failures.add("not transitive: '" + samples.get(i) + "' <= '" + samples.get(j) + "' <= '"
                                + samples.get(k) + "' but the first is greater than the last");
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Strings no package database should contain, for the totality checks. */
    static List<String> garbage() {
        return new ArrayList<>(Arrays.asList(null, "", " ", "\t", "garbage", "1..2", "::", ":", "-", "--", "~", "^", "+",
                "1.0-", "1.0 beta", "ü", "1.ü", "1\u00002", "99999999999999999999999999999.0",
                "1.99999999999999999999999999", "1.0.0-99999999999999999999999999", "v", "v.", "=", "1!", "!1",
                "0:", "a:1", "1:a", "-1", "_", "1_", "1-r", "1.0~", "1.0^", "1e10", "0x10", "..", "1.0.0.0.0.0.0.0",
                "1.0+", "1.0+a+b", "\u00a0 1.0"));
    }
}
