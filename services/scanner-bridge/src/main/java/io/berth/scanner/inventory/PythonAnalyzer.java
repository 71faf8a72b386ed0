package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Python: the core metadata of installed distributions, {@code <name>.dist-info/METADATA}
 * (wheels, pip) and {@code <name>.egg-info/PKG-INFO} (setuptools). Only the header block is
 * read (its first {@link InventoryLimits#metadataBytes()} bytes at most; the long description
 * after it can be big and is skipped): {@code Name} and {@code Version}.
 */
final class PythonAnalyzer implements Analyzer {

    @Override
    public boolean wants(String path, int mode) {
        String parent = EntryPaths.parent(path);
        String file = EntryPaths.fileName(path);
        return (file.equals("METADATA") && parent.endsWith(".dist-info"))
                || (file.equals("PKG-INFO") && parent.endsWith(".egg-info"));
    }

    @Override
    public long maxBytes(InventoryLimits limits) {
        return Long.MAX_VALUE; // only the head is read
    }

    @Override
    public Findings analyze(String path, InputStream content, long size, Context context) throws IOException {
        int head = (int) Math.min(size, context.limits().metadataBytes());
        String text = new String(content.readNBytes(head), StandardCharsets.UTF_8);
        String name = null;
        String version = null;
        for (String raw : text.split("\n")) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                break; // end of the headers
            }
            if (line.startsWith("Name:") && name == null) {
                name = line.substring(5).trim();
            } else if (line.startsWith("Version:") && version == null) {
                version = line.substring(8).trim();
            }
        }
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            context.warn(path + ": no Name or Version, ignored");
            return Findings.NONE;
        }
        return Findings.of(List.of(FoundPackage.language(FoundPackage.Kind.PYPI, name, version, path)));
    }
}
