package io.berth.scanner.vulndb;

import java.util.List;

/**
 * One vulnerability of one installed package: what a report lists.
 *
 * @param advisoryId the OSV record's id (GHSA-..., DEBIAN-CVE-..., ALPINE-CVE-...)
 * @param aliases its other ids (the CVE, usually)
 * @param ecosystem the OSV ecosystem ("Debian", "Maven")
 * @param packageName the installed package's name (a Debian binary package, not its source)
 * @param installedVersion the version installed
 * @param fixedVersions the versions that fix it, lowest stretch first; empty when none is known
 * @param severity the package's level in the record, else the record's
 * @param cvssScore the CVSS base score berth computed, or null
 * @param summary the record's one-line summary, or null
 * @param links the record's page on osv.dev, then its advisory references, then others (at most 10)
 * @param purl the installed package's package URL, or null
 * @param path where in the image the package was found, or null
 */
public record Finding(String advisoryId, List<String> aliases, String ecosystem, String packageName,
        String installedVersion, List<String> fixedVersions, Severity severity, Double cvssScore, String summary,
        List<String> links, String purl, String path) {

    public Finding {
        aliases = List.copyOf(aliases);
        fixedVersions = List.copyOf(fixedVersions);
        links = List.copyOf(links);
    }
}
