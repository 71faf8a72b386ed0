package io.berth.oci;

/** Helpers for echoing untrusted input into error details. Not public API. */
final class Inputs {

    /** Longest slice of an input echoed back; hostile inputs can be megabytes long. */
    private static final int MAX_ECHO = 80;

    private Inputs() {
    }

    /** {@code s} in single quotes, cut to {@value #MAX_ECHO} characters. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= MAX_ECHO
                ? "'" + s + "'"
                : "'" + s.substring(0, MAX_ECHO) + "...' (" + s.length() + " characters)";
    }

    static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static boolean isAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }
}
