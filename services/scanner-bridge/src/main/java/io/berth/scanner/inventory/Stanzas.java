package io.berth.scanner.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paragraph format of dpkg's status (deb822: {@code Key: value}, continuation lines start
 * with a space) and apk's installed ({@code K:value}), split into stanzas at blank lines.
 * A stanza with a line that is neither a field nor a continuation is returned as null, so the
 * caller skips that one package and keeps the others.
 */
final class Stanzas {

    private Stanzas() {
    }

    /** Stanzas of {@code text}; a malformed stanza is a null element. */
    static List<Map<String, String>> parse(String text, boolean deb822) {
        List<Map<String, String>> stanzas = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        boolean broken = false;
        String lastKey = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) {
                if (!current.isEmpty() || broken) {
                    stanzas.add(broken ? null : current);
                }
                current = new LinkedHashMap<>();
                broken = false;
                lastKey = null;
                continue;
            }
            if (deb822 && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (lastKey == null) {
                    broken = true;
                }
                continue; // continuation of a multi-line field: not needed
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || (deb822 && line.substring(0, colon).contains(" "))) {
                broken = true;
                continue;
            }
            lastKey = line.substring(0, colon);
            current.put(lastKey, line.substring(colon + 1).trim());
        }
        if (!current.isEmpty() || broken) {
            stanzas.add(broken ? null : current);
        }
        return stanzas;
    }
}
