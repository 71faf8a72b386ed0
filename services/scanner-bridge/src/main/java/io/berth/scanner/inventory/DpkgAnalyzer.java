package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian and Ubuntu: {@code var/lib/dpkg/status} and the one-file-per-package
 * {@code var/lib/dpkg/status.d/*} of distroless images (their {@code *.md5sums} are not
 * stanzas). A package counts when its {@code Status} says "installed" (status.d stanzas may
 * carry no Status: distroless writes only installed ones). {@code Source: name (version)} gives
 * the source package and, when it differs, its version. A stanza without Package or with a
 * Version that is not a dpkg version is skipped with a warning; the others stay.
 */
final class DpkgAnalyzer implements Analyzer {

    static final String STATUS = "var/lib/dpkg/status";
    static final String STATUS_D = "var/lib/dpkg/status.d";

    // deb-version(7): [epoch:]upstream[-revision], upstream starting with a digit
    private static final Pattern VERSION = Pattern.compile("(\\d+:)?\\d[A-Za-z0-9.+~:-]*");
    private static final Pattern SOURCE = Pattern.compile("([^\\s(]+)\\s*(?:\\((\\S+)\\))?");

    @Override
    public boolean wants(String path, int mode) {
        return path.equals(STATUS)
                || (EntryPaths.parent(path).equals(STATUS_D) && !path.endsWith(".md5sums"));
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return limits.packageDatabaseBytes();
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        String text = new String(content.readNBytes((int) size), StandardCharsets.UTF_8);
        boolean statusD = !path.equals(STATUS);
        List<FoundPackage> found = new ArrayList<>();
        int skipped = 0;
        for (Map<String, String> stanza : Stanzas.parse(text, true)) {
            if (stanza == null) {
                skipped++;
                continue;
            }
            String status = stanza.get("Status");
            if (status == null ? !statusD : !isInstalled(status)) {
                continue;
            }
            String name = stanza.get("Package");
            String version = stanza.get("Version");
            if (name == null || name.isEmpty() || version == null || !VERSION.matcher(version).matches()) {
                skipped++;
                continue;
            }
            String sourceName = null;
            String sourceVersion = null;
            String source = stanza.get("Source");
            Matcher m = source == null ? null : SOURCE.matcher(source);
            if (m != null && m.matches()) {
                sourceName = m.group(1).equals(name) ? null : m.group(1);
                sourceVersion = m.group(2) != null && !m.group(2).equals(version) ? m.group(2) : null;
                if (sourceName == null && sourceVersion != null) {
                    sourceName = name; // same name, other version: keep the pair together
                }
            }
            found.add(new FoundPackage(FoundPackage.Kind.DPKG, name, version, sourceName, sourceVersion,
                    stanza.get("Architecture"), null, path));
        }
        if (skipped > 0) {
            context.warn(path + ": " + skipped + " malformed stanza(s) skipped");
        }
        return Findings.of(found);
    }

    /** "install ok installed": the third word is the package's state. */
    private static boolean isInstalled(String status) {
        String[] words = status.trim().split("\\s+");
        return words.length == 3 && words[2].equals("installed");
    }
}
