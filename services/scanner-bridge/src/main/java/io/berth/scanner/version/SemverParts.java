package io.berth.scanner.version;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * SemVer 2.0 for the npm and Go schemes: turns the loose spellings their records contain into
 * a strict SemVer string, parses that with semver4j, and orders two versions by semver.org §11.
 *
 * <p>Why the precedence is here and not semver4j's {@code compareTo}: semver4j 6.0.0 compares
 * pre-release identifiers that mix letters and digits by splitting them at digit boundaries
 * ({@code rc10 > rc9}), where §11.4.2 (and npm and Go) compare them lexically in ASCII order
 * ({@code rc10 < rc9}); for Go pseudo-versions ({@code 0.20191109021931-daa7c04131f5}) its
 * result is neither, and for long digit runs it throws from {@code Long.parseLong}. semver4j
 * still does the parsing and validation and supplies major, minor, patch and the identifiers.
 * Major, minor and patch are capped at nine digits (semver4j keeps them in ints); a longer one
 * makes the version invalid rather than throwing.
 */
final class SemverParts {

    /**
     * major[.minor[.patch]][-pre | pre starting with a letter][+build]; groups 1-5. Pre-release
     * and build are matched as one character class (a loop over dotted groups recurses in
     * java.util.regex, one level per identifier) and their identifiers checked by {@link #match}.
     */
    private static final Pattern LOOSE = Pattern.compile(
            "(\\d+)(?:\\.(\\d+)(?:\\.(\\d+))?)?"
            + "(?:(?:-|(?=[A-Za-z]))([0-9A-Za-z.-]+))?"
            + "(?:\\+([0-9A-Za-z.-]+))?");

    private static final int MAX_CORE_DIGITS = 9;

    private SemverParts() {
    }

    /** The match of the loose grammar, or empty. */
    static Optional<Matcher> match(String v) {
        Matcher m = LOOSE.matcher(v);
        if (!m.matches() || emptyIdentifier(m.group(4)) || emptyIdentifier(m.group(5))) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    private static boolean emptyIdentifier(String dotted) {
        return dotted != null && (dotted.startsWith(".") || dotted.endsWith(".") || dotted.contains(".."));
    }

    /**
     * The semver4j value of major.minor.patch with the given pre-release and build (either may
     * be null; a missing minor or patch is 0), numbers stripped of leading zeros; empty if
     * semver4j rejects it or a core number is too long for it.
     */
    static Optional<Semver> toSemver(String major, String minor, String patch, String pre, String build) {
        String[] core = {major, minor == null ? "0" : minor, patch == null ? "0" : patch};
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            String n = stripZeros(core[k]);
            if (n.length() > MAX_CORE_DIGITS) {
                return Optional.empty();
            }
            s.append(k == 0 ? "" : ".").append(n);
        }
        if (pre != null) {
            s.append('-');
            String[] ids = pre.split("\\.", -1);
            for (int k = 0; k < ids.length; k++) {
                s.append(k == 0 ? "" : ".").append(Digits.allDigits(ids[k]) ? stripZeros(ids[k]) : ids[k]);
            }
        }
        if (build != null) {
            s.append('+').append(build);
        }
        try {
            return Optional.ofNullable(Semver.parse(s.toString()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** semver.org §11 precedence; build metadata ignored. */
    static int precedence(Semver a, Semver b) {
        int c = Integer.compare(a.getMajor(), b.getMajor());
        if (c == 0) {
            c = Integer.compare(a.getMinor(), b.getMinor());
        }
        if (c == 0) {
            c = Integer.compare(a.getPatch(), b.getPatch());
        }
        return c != 0 ? c : comparePreRelease(a.getPreRelease(), b.getPreRelease());
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        // §11.3: a version without pre-release is newer than one with
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean nx = Digits.allDigits(x);
            boolean ny = Digits.allDigits(y);
            int c;
            if (nx && ny) {
                c = Digits.compare(x, y); // §11.4.1
            } else if (nx || ny) {
                c = nx ? -1 : 1; // §11.4.3
            } else {
                c = x.compareTo(y); // §11.4.2
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size()); // §11.4.4
    }

    static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** Whether a numeric identifier has a leading zero, which strict SemVer forbids. */
    static boolean leadingZero(String digits) {
        return digits != null && digits.length() > 1 && digits.charAt(0) == '0';
    }
}
