package io.berth.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A registry's {@code WWW-Authenticate} answer to a 401: {@code Basic realm="..."}, or the
 * Docker token flow's {@code Bearer realm="...",service="...",scope="..."} (distribution's
 * docs/content/spec/auth/token.md). Values are quoted strings that may contain commas (a scope
 * of several actions does), so they are read character by character, not split.
 *
 * @param scheme {@code basic} or {@code bearer}, lower case
 * @param params the parameters, names in lower case
 */
record Challenge(String scheme, Map<String, String> params) {

    /** Reads a WWW-Authenticate value; null when there is none or it names no scheme. */
    static Challenge parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? h.length() : space + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < h.length() && h.charAt(i) == '"') {
                for (i++; i < h.length() && h.charAt(i) != '"'; i++) {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i));
                }
                i++; // the closing quote
            } else {
                for (; i < h.length() && h.charAt(i) != ','; i++) {
                    value.append(h.charAt(i));
                }
            }
            params.put(name, value.toString().trim());
        }
        return new Challenge(scheme, params);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    String realm() {
        return params.get("realm");
    }
}
