package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code etc/os-release} and {@code usr/lib/os-release} (os-release(5)): {@code ID} and
 * {@code VERSION_ID}. Debian and Ubuntu make {@code etc/os-release} a symlink to the other one;
 * symlinks are never followed, so both paths are read and {@link ImageInventory} prefers the
 * first when it is a regular file.
 */
final class OsReleaseAnalyzer implements Analyzer {

    static final String ETC = "etc/os-release";
    static final String USR_LIB = "usr/lib/os-release";

    @Override
    public boolean wants(String path, int mode) {
        return path.equals(ETC) || path.equals(USR_LIB);
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return limits.metadataBytes();
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        String id = null;
        String versionId = null;
        for (String line : new String(content.readNBytes((int) size), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = unquote(line.substring(eq + 1).trim());
            if (key.equals("ID")) {
                id = value;
            } else if (key.equals("VERSION_ID")) {
                versionId = value;
            }
        }
        if (id == null || id.isEmpty()) {
            context.warn(path + ": no ID, ignored");
            return Findings.NONE;
        }
        return new Findings(new OsRelease(id, versionId), java.util.List.of());
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
