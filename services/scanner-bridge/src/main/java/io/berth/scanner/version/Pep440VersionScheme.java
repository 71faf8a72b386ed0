package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python package versions as PEP 440 defines them, written here because no maintained Java
 * library implements the spec: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}.
 *
 * <p>Order (PEP 440 "Summary of permitted suffixes and relative ordering"): epoch; release
 * numbers with trailing zeros ignored ({@code 1.0 = 1.0.0}); then within a release
 * {@code .devN < aN < bN < rcN < (final) < .postN}, where a dev release of a pre- or
 * post-release sorts just before it; a local version ({@code +ubuntu.1}) sorts after the same
 * public version, local segments compared numerically when both are numbers, lexically
 * (case-insensitively) when both are not, and a number after a string.
 *
 * <p>Parsing applies the spec's normalisation rules: case-insensitive; surrounding whitespace
 * and a leading {@code v} ignored; {@code .}, {@code -} or {@code _} (or nothing) as separators
 * before and inside pre, post and dev parts; spellings {@code alpha, beta, c, pre, preview}
 * for {@code a, b, rc, rc, rc} and {@code rev, r} for {@code post}; an omitted number is 0; the
 * implicit post-release {@code 1.0-1}; {@code -} and {@code _} between local segments.
 * {@link #normalize} gives the normal form. Legacy (pre-PEP 440) versions are invalid and sort
 * before all valid versions, lexically among themselves.
 */
final class Pep440VersionScheme extends ParsedVersionScheme<Pep440VersionScheme.Parsed> {

    private static final Pattern VERSION = Pattern.compile(
            "\\s*v?"
            + "(?:(\\d+)!)?"                                                  // 1 epoch
            + "(\\d+(?:\\.\\d+)*)"                                            // 2 release
            + "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?"    // 3, 4 pre
            + "(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?"                  // 5 implicit post; 6, 7 post
            + "(?:[-_.]?(dev)[-_.]?(\\d+)?)?"                                 // 8, 9 dev
            + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?"                        // 10 local
            + "\\s*",
            Pattern.CASE_INSENSITIVE);

    /** Pre-release kinds in order. */
    private static final List<String> PRE_KINDS = List.of("a", "b", "rc");

    /**
     * A parsed version; numbers are digit strings without leading zeros, {@code release} has
     * no trailing zeros beyond the first number, absent parts are null, {@code pre} is the
     * index in a, b, rc.
     */
    record Parsed(String epoch, List<String> release, int pre, String preNumber, String post, String dev,
            List<String> local, List<String> fullRelease) {
    }

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.PEP440;
    }

    /** The PEP 440 normal form of {@code version} ("1.0-r4" is "1.0.post4"), empty if invalid. */
    static Optional<String> normalize(String version) {
        if (version == null) {
            return Optional.empty();
        }
        return new Pep440VersionScheme().parse(version).map(Pep440VersionScheme::normalForm);
    }

    @Override
    Optional<Parsed> parse(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return Optional.empty();
        }
        String epoch = m.group(1) == null ? "0" : SemverParts.stripZeros(m.group(1));
        List<String> full = new ArrayList<>();
        for (String n : m.group(2).split("\\.")) {
            full.add(SemverParts.stripZeros(n));
        }
        List<String> release = new ArrayList<>(full);
        while (release.size() > 1 && release.get(release.size() - 1).equals("0")) {
            release.remove(release.size() - 1);
        }
        int pre = -1;
        String preNumber = null;
        if (m.group(3) != null) {
            pre = PRE_KINDS.indexOf(preKind(m.group(3).toLowerCase(Locale.ROOT)));
            preNumber = number(m.group(4));
        }
        String post = null;
        if (m.group(5) != null) {
            post = SemverParts.stripZeros(m.group(5));
        } else if (m.group(6) != null) {
            post = number(m.group(7));
        }
        String dev = m.group(8) == null ? null : number(m.group(9));
        List<String> local = null;
        if (m.group(10) != null) {
            local = new ArrayList<>();
            for (String s : m.group(10).toLowerCase(Locale.ROOT).split("[-_.]")) {
                local.add(Digits.allDigits(s) ? SemverParts.stripZeros(s) : s);
            }
        }
        return Optional.of(new Parsed(epoch, release, pre, preNumber, post, dev, local, full));
    }

    private static String preKind(String spelling) {
        switch (spelling) {
            case "alpha":
                return "a";
            case "beta":
                return "b";
            case "c":
            case "pre":
            case "preview":
                return "rc";
            default:
                return spelling;
        }
    }

    private static String number(String digits) {
        return digits == null ? "0" : SemverParts.stripZeros(digits);
    }

    private static String normalForm(Parsed p) {
        StringBuilder s = new StringBuilder();
        if (!p.epoch().equals("0")) {
            s.append(p.epoch()).append('!');
        }
        s.append(String.join(".", p.fullRelease()));
        if (p.pre() >= 0) {
            s.append(PRE_KINDS.get(p.pre())).append(p.preNumber());
        }
        if (p.post() != null) {
            s.append(".post").append(p.post());
        }
        if (p.dev() != null) {
            s.append(".dev").append(p.dev());
        }
        if (p.local() != null) {
            s.append('+').append(String.join(".", p.local()));
        }
        return s.toString();
    }

    @Override
    int compareParsed(Parsed a, Parsed b) {
        int c = Digits.compare(a.epoch(), b.epoch());
        if (c == 0) {
            c = compareNumbers(a.release(), b.release());
        }
        if (c == 0) {
            c = Integer.compare(preRank(a), preRank(b));
        }
        if (c == 0 && a.pre() >= 0 && b.pre() >= 0) {
            c = Digits.compare(a.preNumber(), b.preNumber());
        }
        if (c == 0) {
            // no post-release sorts before any post-release
            c = compareOptional(a.post(), b.post(), -1);
        }
        if (c == 0) {
            // no dev part sorts after any dev release
            c = compareOptional(a.dev(), b.dev(), 1);
        }
        if (c == 0) {
            c = compareLocal(a.local(), b.local());
        }
        return c;
    }

    /**
     * Where the pre-release part puts a version: a bare dev release ({@code 1.0.dev1}) before
     * all pre-releases, then a, b, rc, then versions without a pre-release.
     */
    private static int preRank(Parsed p) {
        if (p.pre() >= 0) {
            return p.pre();
        }
        return p.post() == null && p.dev() != null ? -1 : PRE_KINDS.size();
    }

    private static int compareOptional(String a, String b, int absentSign) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : absentSign) : -absentSign;
        }
        return Digits.compare(a, b);
    }

    private static int compareNumbers(List<String> a, List<String> b) {
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            int c = Digits.compare(a.get(k), b.get(k));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareLocal(List<String> a, List<String> b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            String x = a.get(k);
            String y = b.get(k);
            boolean nx = Digits.allDigits(x);
            boolean ny = Digits.allDigits(y);
            int c;
            if (nx && ny) {
                c = Digits.compare(x, y);
            } else if (nx || ny) {
                c = nx ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
