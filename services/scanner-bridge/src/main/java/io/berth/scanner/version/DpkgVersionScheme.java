package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Optional;

/**
 * Debian and Ubuntu versions, {@code [epoch:]upstream_version[-debian_revision]}, ordered as
 * Debian policy §5.6.12 and dpkg define it: epochs numerically; then upstream version and
 * revision each by alternating non-digit and digit parts, where non-digit parts compare
 * character by character with {@code ~} before everything (even the end of the part), then
 * the end, then letters, then all other characters, and digit parts compare numerically.
 * A missing revision equals an empty one (which compares like "0").
 *
 * <p>Valid means what dpkg's parser accepts without an error (it only warns about an upstream
 * version that does not start with a digit, so such a version is valid here too): surrounding
 * blanks are ignored; no inner whitespace; the epoch, if a colon is present, is digits; the
 * upstream version is non-empty and made of {@code A-Za-z0-9.+~-:}; the revision after the last
 * hyphen is made of {@code A-Za-z0-9.+~} (dpkg accepts an empty one, "1.0-" equals "1.0"); the
 * epoch is at most 2^31-1 as in dpkg. Anything else sorts before all valid
 * versions, lexically among itself.
 */
final class DpkgVersionScheme extends ParsedVersionScheme<DpkgVersionScheme.Parsed> {

    /** dpkg keeps the epoch in an int and rejects larger ones. */
    private static final String MAX_EPOCH = String.valueOf(Integer.MAX_VALUE);

    record Parsed(String epoch, String upstream, String revision) {
    }

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.DPKG;
    }

    @Override
    Optional<Parsed> parse(String version) {
        String v = version.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon >= 0) {
            epoch = v.substring(0, colon);
            if (!Digits.allDigits(epoch) || Digits.compare(epoch, MAX_EPOCH) > 0) {
                return Optional.empty();
            }
            v = v.substring(colon + 1);
        }
        String revision = "";
        int hyphen = v.lastIndexOf('-');
        if (hyphen >= 0) {
            revision = v.substring(hyphen + 1);
            v = v.substring(0, hyphen);
            if (!allowed(revision, ".+~")) {
                return Optional.empty();
            }
        }
        if (v.isEmpty() || !allowed(v, ".+~-:")) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(epoch, v, revision));
    }

    private static boolean allowed(String part, String punctuation) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!Digits.isDigit(c) && !Digits.isAsciiLetter(c) && punctuation.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    int compareParsed(Parsed a, Parsed b) {
        int c = Digits.compare(a.epoch(), b.epoch());
        if (c != 0) {
            return c;
        }
        c = compareParts(a.upstream(), b.upstream());
        return c != 0 ? c : compareParts(a.revision(), b.revision());
    }

    /** Policy's comparison of one upstream version or revision string with another. */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            // the non-digit prefix, character by character; the end of a part weighs 0
            while ((i < a.length() && !Digits.isDigit(a.charAt(i)))
                    || (j < b.length() && !Digits.isDigit(b.charAt(j)))) {
                int oa = weight(a, i);
                int ob = weight(b, j);
                if (oa != ob) {
                    return oa < ob ? -1 : 1;
                }
                i++;
                j++;
            }
            // the digit run, numerically (an absent run is 0)
            int si = i;
            while (i < a.length() && Digits.isDigit(a.charAt(i))) {
                i++;
            }
            int sj = j;
            while (j < b.length() && Digits.isDigit(b.charAt(j))) {
                j++;
            }
            int c = Digits.compare(si == i ? "0" : a.substring(si, i), sj == j ? "0" : b.substring(sj, j));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The sort weight of the character at {@code i}: ~ lowest, then end or digit, letters, the rest. */
    private static int weight(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (Digits.isDigit(c)) {
            return 0;
        }
        if (Digits.isAsciiLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }
}
