package io.berth.scanner.version;

/**
 * Numeric comparison of ASCII digit runs of any length, without parsing them into a long:
 * package versions carry dates and build numbers that overflow 64 bits often enough
 * ("0.0~git20240101123456789").
 */
final class Digits {

    private Digits() {
    }

    /** Compares the digit runs {@code a} and {@code b} as non-negative integers (leading zeros ignored). */
    static int compare(CharSequence a, CharSequence b) {
        int ia = skipZeros(a);
        int ib = skipZeros(b);
        int la = a.length() - ia;
        int lb = b.length() - ib;
        if (la != lb) {
            return la < lb ? -1 : 1;
        }
        for (int k = 0; k < la; k++) {
            char ca = a.charAt(ia + k);
            char cb = b.charAt(ib + k);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
        }
        return 0;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Whether {@code s} is non-empty and all ASCII digits. */
    static boolean allDigits(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int skipZeros(CharSequence s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return i;
    }
}
