package io.berth.scanner.inventory;

import io.berth.scanner.model.InstalledPackage;
import java.util.List;

/**
 * What an image's final filesystem has installed.
 *
 * @param os its distribution, null when no os-release was found
 * @param packages every package, OS packages first, then by path
 * @param warnings files that were skipped (over a cap, corrupt) and why; bounded
 */
public record Inventory(OsRelease os, List<InstalledPackage> packages, List<String> warnings) {

    public Inventory {
        packages = List.copyOf(packages);
        warnings = List.copyOf(warnings);
    }
}
