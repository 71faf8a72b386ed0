package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Optional;

/**
 * RPM versions, {@code [epoch:]version[-release]}, ordered as rpm orders them: the epoch
 * numerically (absent is 0), then version and release each with rpm's {@code rpmvercmp}
 * (documented in rpm's {@code tests/rpmvercmp.at}): the strings are split into runs of digits
 * and runs of ASCII letters, everything else only separates runs; digit runs compare
 * numerically, letter runs as strings, and a digit run is newer than a letter run; {@code ~}
 * sorts before everything, even the end ({@code 1.0~rc1 < 1.0}); {@code ^} sorts after the end
 * but before any other run ({@code 1.0 < 1.0^git1 < 1.0.1}). When all runs are equal the string
 * with runs left over is newer. The release is split at the last hyphen; an absent release
 * compares as an empty one (older than any release), which keeps the order total where rpm
 * itself would skip the release.
 *
 * <p>Valid: non-empty after trimming, printable ASCII without blanks, at most one colon and
 * only after a numeric (or empty) epoch. Anything else sorts before all valid versions,
 * lexically among itself.
 */
final class RpmVersionScheme extends ParsedVersionScheme<RpmVersionScheme.Parsed> {

    record Parsed(String epoch, String version, String release) {
    }

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.RPM;
    }

    @Override
    Optional<Parsed> parse(String raw) {
        String v = raw.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c > '~') {
                return Optional.empty();
            }
        }
        String epoch = "0";
        int colon = v.indexOf(':');
        if (colon >= 0) {
            String e = v.substring(0, colon);
            if (!(e.isEmpty() || Digits.allDigits(e)) || v.indexOf(':', colon + 1) >= 0) {
                return Optional.empty();
            }
            epoch = e.isEmpty() ? "0" : e;
            v = v.substring(colon + 1);
        }
        String release = "";
        int hyphen = v.lastIndexOf('-');
        if (hyphen >= 0) {
            release = v.substring(hyphen + 1);
            v = v.substring(0, hyphen);
        }
        return Optional.of(new Parsed(epoch, v, release));
    }

    @Override
    int compareParsed(Parsed a, Parsed b) {
        int c = Digits.compare(a.epoch(), b.epoch());
        if (c != 0) {
            return c;
        }
        c = rpmvercmp(a.version(), b.version());
        return c != 0 ? c : rpmvercmp(a.release(), b.release());
    }

    /** rpm's segment-wise comparison of two version (or release) strings; -1, 0 or 1. */
    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            i = skipSeparators(a, i);
            j = skipSeparators(b, j);
            char ca = i < a.length() ? a.charAt(i) : 0;
            char cb = j < b.length() ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') {
                    return 1;
                }
                if (cb != '~') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (ca == 0) {
                    return -1;
                }
                if (cb == 0) {
                    return 1;
                }
                if (ca != '^') {
                    return 1;
                }
                if (cb != '^') {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (ca == 0 || cb == 0) {
                break;
            }
            boolean numeric = Digits.isDigit(ca);
            int ei = runEnd(a, i, numeric);
            int ej = runEnd(b, j, numeric);
            if (ej == j) {
                // b's run is of the other kind: a number is newer than letters
                return numeric ? 1 : -1;
            }
            int c = numeric
                    ? Digits.compare(a.substring(i, ei), b.substring(j, ej))
                    : Integer.signum(a.substring(i, ei).compareTo(b.substring(j, ej)));
            if (c != 0) {
                return c;
            }
            i = ei;
            j = ej;
        }
        boolean aDone = i >= a.length();
        boolean bDone = j >= b.length();
        if (aDone && bDone) {
            return 0;
        }
        return aDone ? -1 : 1;
    }

    private static int skipSeparators(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Digits.isDigit(c) || Digits.isAsciiLetter(c) || c == '~' || c == '^') {
                break;
            }
            i++;
        }
        return i;
    }

    private static int runEnd(String s, int i, boolean numeric) {
        while (i < s.length() && (numeric ? Digits.isDigit(s.charAt(i)) : Digits.isAsciiLetter(s.charAt(i)))) {
            i++;
        }
        return i;
    }
}
