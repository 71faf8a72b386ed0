package io.berth.gateway.console;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's {@code Accept-Encoding} (RFC 9110 12.5.3): which content codings it takes. A coding
 * is taken if it is listed with a weight above zero, or not listed while {@code *} is; a weight
 * that does not parse counts as zero. No header takes nothing but identity (which the gateway
 * always has).
 */
public final class AcceptEncoding {

    private final Map<String, Double> weights;

    private AcceptEncoding(Map<String, Double> weights) {
        this.weights = weights;
    }

    /** The header's value, or null for no header. */
    public static AcceptEncoding parse(String header) {
        Map<String, Double> weights = new HashMap<>();
        if (header != null) {
            for (String item : header.split(",")) {
                String[] parts = item.split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                double q = 1.0;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].trim();
                    if (param.regionMatches(true, 0, "q=", 0, 2)) {
                        q = weight(param.substring(2).trim());
                    }
                }
                weights.merge(coding, q, Math::max);
            }
        }
        return new AcceptEncoding(weights);
    }

    /** Whether {@code coding} (lower case: {@code br}, {@code gzip}) may be sent. */
    public boolean allows(String coding) {
        Double q = weights.get(coding);
        if (q == null && coding.equals("gzip")) {
            // RFC 9110: x-gzip is an alias of gzip.
            q = weights.get("x-gzip");
        }
        if (q == null) {
            q = weights.get("*");
        }
        return q != null && q > 0;
    }

    private static double weight(String value) {
        // RFC 9110's qvalue: 0 to 1 with at most three decimals.
        if (!value.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        return Double.parseDouble(value);
    }
}
