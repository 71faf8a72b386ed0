package io.berth.scanner.vulndb;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Base scores of CVSS vectors as OSV carries them in {@code severity[].score}: v3.0/v3.1 by the
 * formula of the CVSS v3.1 specification (section 7.1, with its Roundup), v2 by the CVSS v2 guide
 * (section 3.2.1). CVSS v4 scores need the specification's macro-vector table, which berth does
 * not carry: a v4 vector gives no score, and the record's other ratings decide its level.
 *
 * <p>A vector that is not one of these (a metric missing, a value unknown) gives no score rather
 * than an exception: records are written by many tools.
 */
public final class Cvss {

    private Cvss() {}

    /** The base score of a {@code CVSS:3.x/...} vector; empty if it is not a valid v3 base vector. */
    public static OptionalDouble score3(String vector) {
        if (vector == null || !vector.startsWith("CVSS:3.")) {
            return OptionalDouble.empty();
        }
        Map<String, String> m = metrics(vector.substring(vector.indexOf('/') + 1));
        if (m == null) {
            return OptionalDouble.empty();
        }
        boolean changed = "C".equals(m.get("S"));
        if (!changed && !"U".equals(m.get("S"))) {
            return OptionalDouble.empty();
        }
        double av = pick(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
        double ac = pick(m.get("AC"), "L", 0.77, "H", 0.44);
        double pr = pick(m.get("PR"), "N", 0.85, "L", changed ? 0.68 : 0.62, "H", changed ? 0.5 : 0.27);
        double ui = pick(m.get("UI"), "N", 0.85, "R", 0.62);
        double c = pick(m.get("C"), "H", 0.56, "L", 0.22, "N", 0);
        double i = pick(m.get("I"), "H", 0.56, "L", 0.22, "N", 0);
        double a = pick(m.get("A"), "H", 0.56, "L", 0.22, "N", 0);
        if (av < 0 || ac < 0 || pr < 0 || ui < 0 || c < 0 || i < 0 || a < 0) {
            return OptionalDouble.empty();
        }
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        if (impact <= 0) {
            return OptionalDouble.of(0);
        }
        double exploitability = 8.22 * av * ac * pr * ui;
        double base = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
        return OptionalDouble.of(roundUp(base));
    }

    /** The base score of a v2 vector ({@code AV:N/AC:L/Au:N/C:P/I:P/A:P}); empty if it is not one. */
    public static OptionalDouble score2(String vector) {
        if (vector == null) {
            return OptionalDouble.empty();
        }
        String body = vector.startsWith("(") && vector.endsWith(")") ? vector.substring(1, vector.length() - 1) : vector;
        Map<String, String> m = metrics(body);
        if (m == null) {
            return OptionalDouble.empty();
        }
        double av = pick(m.get("AV"), "L", 0.395, "A", 0.646, "N", 1.0);
        double ac = pick(m.get("AC"), "H", 0.35, "M", 0.61, "L", 0.71);
        double au = pick(m.get("Au"), "M", 0.45, "S", 0.56, "N", 0.704);
        double c = pick(m.get("C"), "N", 0, "P", 0.275, "C", 0.660);
        double i = pick(m.get("I"), "N", 0, "P", 0.275, "C", 0.660);
        double a = pick(m.get("A"), "N", 0, "P", 0.275, "C", 0.660);
        if (av < 0 || ac < 0 || au < 0 || c < 0 || i < 0 || a < 0) {
            return OptionalDouble.empty();
        }
        double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
        double exploitability = 20 * av * ac * au;
        double f = impact == 0 ? 0 : 1.176;
        double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
        return OptionalDouble.of(Math.round(Math.max(base, 0) * 10) / 10.0);
    }

    /** CVSS v3.1's Roundup: the smallest one-decimal number at least {@code x}, free of float noise. */
    static double roundUp(double x) {
        long scaled = Math.round(x * 100000);
        if (scaled % 10000 == 0) {
            return scaled / 100000.0;
        }
        return (Math.floor(scaled / 10000.0) + 1) / 10.0;
    }

    private static Map<String, String> metrics(String body) {
        Map<String, String> m = new HashMap<>();
        for (String part : body.split("/")) {
            int colon = part.indexOf(':');
            if (colon <= 0 || colon == part.length() - 1) {
                return null;
            }
            m.put(part.substring(0, colon), part.substring(colon + 1));
        }
        return m;
    }

    /** The weight of {@code value} among the pairs (name, weight, ...); -1 if it is none of them. */
    private static double pick(String value, Object... pairs) {
        for (int k = 0; k < pairs.length; k += 2) {
            if (pairs[k].equals(value)) {
                return ((Number) pairs[k + 1]).doubleValue();
            }
        }
        return -1;
    }
}
