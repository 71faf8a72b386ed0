package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * Alpine versions as apk-tools reads them:
 * {@code digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]}, for example
 * {@code 1.2.3b_rc2_p1~0a1b-r4}. Two versions compare token by token:
 * numbers numerically (but a dotted number with a leading zero compares as a string, as
 * Gentoo does: {@code 1.02 < 1.1}), the letter by character, suffixes in the order
 * {@code _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p}, the commit
 * hash as a string, the revision numerically. When one version runs out of tokens first, the
 * other is greater unless its next token is a pre-release suffix ({@code 1.0_rc1 < 1.0 < 1.0.1}).
 *
 * <p>Invalid versions are ordered the way apk-tools orders them (its own test data compare
 * {@code 1.0 < 1.0bc}): the walk reads both strings token by token up to the first token that
 * breaks the grammar, and that broken token sorts below the end of a version. Two strings that
 * are still equal at that point (both broken at the same place) sort by
 * {@link String#compareTo}, so the order stays total and consistent. A string longer than
 * {@link VersionSchemes#MAX_LENGTH} is broken at its first token.
 */
final class ApkVersionScheme implements VersionScheme {

    // Token kinds in the order the grammar allows them; a higher kind at the point where two
    // versions differ in kind means "ran out earlier", hence smaller (except pre-release suffixes).
    private static final int INITIAL = 0;
    private static final int DIGIT = 1;
    private static final int LETTER = 2;
    private static final int SUFFIX = 3;
    private static final int SUFFIX_NO = 4;
    private static final int HASH = 5;
    private static final int REVISION = 6;
    private static final int END = 7;
    private static final int INVALID = 8;

    private static final List<String> SUFFIXES = List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");
    private static final int NO_SUFFIX = SUFFIXES.indexOf("");

    private record Token(int kind, String text, int suffix) {
    }

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.APK;
    }

    @Override
    public boolean isValid(String version) {
        if (version == null) {
            return false;
        }
        List<Token> tokens = tokens(version);
        return tokens.get(tokens.size() - 1).kind() == END;
    }

    @Override
    public int compare(String a, String b) {
        if (a == null || b == null) {
            return ParsedVersionScheme.lexically(a, b);
        }
        List<Token> ta = tokens(a);
        List<Token> tb = tokens(b);
        int n = 0;
        while (true) {
            Token x = ta.get(n);
            Token y = tb.get(n);
            if (x.kind() != y.kind()) {
                if (x.kind() == SUFFIX && x.suffix() < NO_SUFFIX) {
                    return -1;
                }
                if (y.kind() == SUFFIX && y.suffix() < NO_SUFFIX) {
                    return 1;
                }
                return x.kind() > y.kind() ? -1 : 1;
            }
            if (x.kind() == END) {
                return 0;
            }
            if (x.kind() == INVALID) {
                return ParsedVersionScheme.lexically(a, b);
            }
            int c = compareSame(x, y);
            if (c != 0) {
                return c;
            }
            n++;
        }
    }

    private static int compareSame(Token x, Token y) {
        switch (x.kind()) {
            case DIGIT:
                if (x.text().charAt(0) == '0' || y.text().charAt(0) == '0') {
                    return Integer.signum(x.text().compareTo(y.text()));
                }
                return Digits.compare(x.text(), y.text());
            case INITIAL:
            case SUFFIX_NO:
            case REVISION:
                return Digits.compare(x.text(), y.text());
            case SUFFIX:
                return Integer.compare(x.suffix(), y.suffix());
            default: // LETTER, HASH
                return Integer.signum(x.text().compareTo(y.text()));
        }
    }

    /**
     * The tokens of {@code v}, ending with exactly one END or INVALID token; a string longer
     * than {@link VersionSchemes#MAX_LENGTH} is INVALID from its first character.
     */
    private static List<Token> tokens(String v) {
        List<Token> out = new ArrayList<>();
        if (v.length() > VersionSchemes.MAX_LENGTH) {
            out.add(new Token(INVALID, "", -1));
            return out;
        }
        int i = digitsEnd(v, 0);
        if (i == 0) {
            out.add(new Token(INVALID, "", -1));
            return out;
        }
        out.add(new Token(INITIAL, v.substring(0, i), -1));
        int last = INITIAL;
        while (true) {
            if (i >= v.length()) {
                out.add(new Token(END, "", -1));
                return out;
            }
            char c = v.charAt(i);
            Token t = null;
            if (c >= 'a' && c <= 'z' && last <= DIGIT) {
                t = new Token(LETTER, String.valueOf(c), -1);
                i++;
            } else if ((c == '.' && last <= DIGIT) || (Digits.isDigit(c) && last == SUFFIX)) {
                int start = c == '.' ? i + 1 : i;
                int end = digitsEnd(v, start);
                if (end > start) {
                    t = new Token(last == SUFFIX ? SUFFIX_NO : DIGIT, v.substring(start, end), -1);
                    i = end;
                }
            } else if (c == '_' && last <= SUFFIX_NO) {
                int end = i + 1;
                while (end < v.length() && v.charAt(end) >= 'a' && v.charAt(end) <= 'z') {
                    end++;
                }
                String name = v.substring(i + 1, end);
                int suffix = name.isEmpty() ? -1 : SUFFIXES.indexOf(name);
                if (suffix >= 0) {
                    t = new Token(SUFFIX, name, suffix);
                    i = end;
                }
            } else if (c == '~' && last < HASH) {
                int end = i + 1;
                while (end < v.length() && isHex(v.charAt(end))) {
                    end++;
                }
                if (end > i + 1) {
                    t = new Token(HASH, v.substring(i + 1, end), -1);
                    i = end;
                }
            } else if (c == '-' && last < REVISION && v.startsWith("-r", i)) {
                int end = digitsEnd(v, i + 2);
                if (end > i + 2) {
                    t = new Token(REVISION, v.substring(i + 2, end), -1);
                    i = end;
                }
            }
            if (t == null) {
                out.add(new Token(INVALID, "", -1));
                return out;
            }
            out.add(t);
            last = t.kind();
        }
    }

    private static int digitsEnd(String v, int from) {
        int i = from;
        while (i < v.length() && Digits.isDigit(v.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isHex(char c) {
        return Digits.isDigit(c) || (c >= 'a' && c <= 'f');
    }
}
