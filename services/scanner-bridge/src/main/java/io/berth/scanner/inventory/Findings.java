package io.berth.scanner.inventory;

import java.util.List;

/** What one file gave: an OS release, packages, or nothing. */
record Findings(OsRelease os, List<FoundPackage> packages) {

    static final Findings NONE = new Findings(null, List.of());

    Findings {
        packages = List.copyOf(packages);
    }

    static Findings of(List<FoundPackage> packages) {
        return packages.isEmpty() ? NONE : new Findings(null, packages);
    }

    boolean isEmpty() {
        return os == null && packages.isEmpty();
    }
}
