package io.berth.scanner.inventory;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.model.InstalledPackage;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Gives a found package its ecosystem, OS release and package URL (purl-spec types deb, apk,
 * rpm, maven, npm, pypi, golang) once the image's os-release is known. OS packages of an image whose
 * os-release is missing or names another distribution keep their family's default ecosystem
 * (Debian, Alpine, Red Hat) without a release: they are listed, but advisories of a release
 * cannot match them.
 */
final class PackageUrls {

    private PackageUrls() {
    }

    static InstalledPackage toInstalled(FoundPackage p, OsRelease os, String layer) {
        Ecosystem ecosystem = ecosystem(p.kind(), os);
        boolean osMatches = os != null && os.ecosystem().filter(e -> e.scheme() == ecosystem.scheme()).isPresent()
                && ecosystem.isOs();
        String release = osMatches ? os.release() : null;
        return new InstalledPackage(ecosystem, release, p.name(), p.version(), p.sourceName(), p.sourceVersion(),
                purl(p, ecosystem, osMatches ? os : null), p.path(), layer);
    }

    static Ecosystem ecosystem(FoundPackage.Kind kind, OsRelease os) {
        Ecosystem fromOs = os == null ? null : os.ecosystem().orElse(null);
        return switch (kind) {
            case DPKG -> fromOs != null && fromOs.scheme() == Ecosystem.Scheme.DPKG ? fromOs : Ecosystem.DEBIAN;
            case APK -> Ecosystem.ALPINE;
            case RPM -> fromOs != null && fromOs.scheme() == Ecosystem.Scheme.RPM ? fromOs : Ecosystem.RED_HAT;
            case MAVEN -> Ecosystem.MAVEN;
            case NPM -> Ecosystem.NPM;
            case PYPI -> Ecosystem.PYPI;
            case GO -> Ecosystem.GO;
        };
    }

    /** The package URL, or null when the parts cannot make one (the SBOM then omits it). */
    static String purl(FoundPackage p, Ecosystem ecosystem, OsRelease os) {
        TreeMap<String, String> qualifiers = new TreeMap<>();
        String namespace = null;
        String name = p.name();
        String version = p.version();
        switch (p.kind()) {
            case DPKG, APK, RPM -> {
                namespace = os != null ? osNamespace(os.id()) : switch (ecosystem) {
                    case ALPINE -> "alpine";
                    case RED_HAT -> "redhat";
                    default -> "debian";
                };
                if (os != null && os.versionId() != null) {
                    qualifiers.put("distro", os.id().toLowerCase(Locale.ROOT) + "-" + os.versionId());
                }
                if (p.arch() != null && !p.arch().isBlank()) {
                    qualifiers.put("arch", p.arch());
                }
                if (p.kind() == FoundPackage.Kind.RPM) {
                    int colon = version.indexOf(':');
                    if (colon >= 0) {
                        qualifiers.put("epoch", version.substring(0, colon));
                        version = version.substring(colon + 1);
                    }
                }
            }
            case MAVEN -> {
                int colon = name.indexOf(':');
                if (colon > 0) {
                    namespace = name.substring(0, colon);
                    name = name.substring(colon + 1);
                }
            }
            case NPM -> {
                int slash = name.indexOf('/');
                if (name.startsWith("@") && slash > 0) {
                    namespace = name.substring(0, slash);
                    name = name.substring(slash + 1);
                }
            }
            case PYPI -> name = name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-"); // PEP 503
            case GO -> {
                int slash = name.lastIndexOf('/');
                if (slash > 0) {
                    namespace = name.substring(0, slash);
                    name = name.substring(slash + 1);
                }
            }
        }
        try {
            return new PackageURL(ecosystem.purlType(), namespace, name, version,
                    qualifiers.isEmpty() ? null : qualifiers, null).canonicalize();
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }

    private static String osNamespace(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        return lower.equals("rhel") ? "redhat" : lower;
    }
}
