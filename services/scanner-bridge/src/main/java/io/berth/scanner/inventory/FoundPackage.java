package io.berth.scanner.inventory;

import java.util.Objects;

/**
 * A package as an analyzer read it, before the image's OS release is known (the dpkg analyzer
 * cannot tell Debian from Ubuntu; os-release may come in a later layer). {@link PackageUrls}
 * turns it into an {@link io.berth.scanner.model.InstalledPackage} at the end.
 *
 * @param epoch RPM only: the epoch, null when the header has none
 * @param path where it was read: the file, and for jars {@code outer.jar!/inner.jar!/META-INF/...}
 */
record FoundPackage(
        Kind kind,
        String name,
        String version,
        String sourceName,
        String sourceVersion,
        String arch,
        String epoch,
        String path) {

    enum Kind { DPKG, APK, RPM, MAVEN, NPM, PYPI, GO }

    FoundPackage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    static FoundPackage language(Kind kind, String name, String version, String path) {
        return new FoundPackage(kind, name, version, null, null, null, null, path);
    }
}
