package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Alpine: {@code lib/apk/db/installed}, one stanza per package of {@code K:value} lines
 * (apk-tools' database format): {@code P} name, {@code V} version, {@code A} architecture,
 * {@code o} origin, the source package Alpine's advisories name. A stanza without P or V is
 * skipped with a warning.
 */
final class ApkAnalyzer implements Analyzer {

    static final String INSTALLED = "lib/apk/db/installed";

    @Override
    public boolean wants(String path, int mode) {
        return path.equals(INSTALLED);
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return limits.packageDatabaseBytes();
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        String text = new String(content.readNBytes((int) size), StandardCharsets.UTF_8);
        List<FoundPackage> found = new ArrayList<>();
        int skipped = 0;
        for (Map<String, String> stanza : Stanzas.parse(text, false)) {
            String name = stanza == null ? null : stanza.get("P");
            String version = stanza == null ? null : stanza.get("V");
            if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
                skipped++;
                continue;
            }
            String origin = stanza.get("o");
            found.add(new FoundPackage(FoundPackage.Kind.APK, name, version,
                    origin == null || origin.equals(name) ? null : origin, null, stanza.get("A"), null, path));
        }
        if (skipped > 0) {
            context.warn(path + ": " + skipped + " malformed stanza(s) skipped");
        }
        return Findings.of(found);
    }
}
