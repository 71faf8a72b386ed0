package io.berth.scanner.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A package ecosystem, as the OSV schema names it (the part of {@code affected[].package.ecosystem}
 * before a colon: "Debian:12" is {@link #DEBIAN} release "12"), with the package-URL type its
 * packages get and the version rules that order its versions.
 */
public enum Ecosystem {
    DEBIAN("Debian", "deb", Scheme.DPKG),
    UBUNTU("Ubuntu", "deb", Scheme.DPKG),
    ALPINE("Alpine", "apk", Scheme.APK),
    RED_HAT("Red Hat", "rpm", Scheme.RPM),
    ROCKY("Rocky Linux", "rpm", Scheme.RPM),
    ALMA("AlmaLinux", "rpm", Scheme.RPM),
    MAVEN("Maven", "maven", Scheme.MAVEN),
    NPM("npm", "npm", Scheme.SEMVER),
    PYPI("PyPI", "pypi", Scheme.PEP440),
    GO("Go", "golang", Scheme.GO);

    /** The version rules of an ecosystem (io.berth.scanner.version implements each). */
    public enum Scheme { DPKG, APK, RPM, MAVEN, SEMVER, PEP440, GO }

    private final String osvName;
    private final String purlType;
    private final Scheme scheme;

    Ecosystem(String osvName, String purlType, Scheme scheme) {
        this.osvName = osvName;
        this.purlType = purlType;
        this.scheme = scheme;
    }

    /** The name in OSV records, without a release ("Debian", "PyPI"). */
    public String osvName() {
        return osvName;
    }

    /** The package-URL type of its packages ({@code pkg:deb/...}). */
    public String purlType() {
        return purlType;
    }

    public Scheme scheme() {
        return scheme;
    }

    /** Whether its packages belong to an OS release (and OSV names the release). */
    public boolean isOs() {
        return scheme == Scheme.DPKG || scheme == Scheme.APK || scheme == Scheme.RPM;
    }

    /**
     * The ecosystem of an OSV ecosystem string ("Debian:12", "Alpine:v3.19", "PyPI"), ignoring
     * the release and case; empty for one berth does not scan.
     */
    public static Optional<Ecosystem> ofOsv(String ecosystem) {
        if (ecosystem == null) {
            return Optional.empty();
        }
        int colon = ecosystem.indexOf(':');
        String name = (colon < 0 ? ecosystem : ecosystem.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        for (Ecosystem e : values()) {
            if (e.osvName.toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
