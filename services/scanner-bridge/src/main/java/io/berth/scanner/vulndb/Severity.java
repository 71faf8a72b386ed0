package io.berth.scanner.vulndb;

import java.util.Locale;
import java.util.Optional;

/**
 * The level of a vulnerability, highest first, as berth reports it and as projects set their
 * {@code preventPull} threshold. CVSS scores map to it by the CVSS v3 bands (0.1–3.9 LOW, 4.0–6.9
 * MEDIUM, 7.0–8.9 HIGH, 9.0–10 CRITICAL); UNKNOWN is a record that rates nothing berth can read.
 */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN;

    /** The band of a CVSS v3 (or v4) base score; a score of 0 (no impact) is LOW. */
    public static Severity ofCvss3(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        return score >= 4.0 ? MEDIUM : LOW;
    }

    /** The band of a CVSS v2 base score as NVD rates it (v2 has no CRITICAL). */
    public static Severity ofCvss2(double score) {
        if (score >= 7.0) {
            return HIGH;
        }
        return score >= 4.0 ? MEDIUM : LOW;
    }

    /**
     * A database's own word for a level: GHSA's {@code CRITICAL/HIGH/MODERATE/LOW}, Ubuntu's
     * priorities ({@code critical, high, medium, low, negligible}), Debian's urgencies
     * ({@code high, medium, low, unimportant}), Go's and others' alike. Empty for words that rate
     * nothing ("not yet assigned", "untriaged").
     */
    public static Optional<Severity> ofWord(String word) {
        if (word == null) {
            return Optional.empty();
        }
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "critical" -> Optional.of(CRITICAL);
            case "high", "important" -> Optional.of(HIGH);
            case "moderate", "medium" -> Optional.of(MEDIUM);
            case "low", "negligible", "unimportant" -> Optional.of(LOW);
            default -> Optional.empty();
        };
    }

    /** Whether this level is at least {@code other} (CRITICAL is at least everything; UNKNOWN only UNKNOWN). */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
