package io.berth.scanner.model;

import java.util.Objects;

/**
 * One package an image has installed, as the inventory found it.
 *
 * @param ecosystem where its versions and advisories come from
 * @param release the OS release for OS packages as OSV writes it ("12" for Debian 12, "v3.19"
 *     for Alpine 3.19, "9" for Rocky Linux 9), null for language packages
 * @param name the binary package's name (Maven: {@code groupId:artifactId}; npm: with its scope)
 * @param version the installed version, exactly as the package database records it (Debian
 *     with its epoch and revision, RPM as {@code [epoch:]version-release})
 * @param sourceName the source package it was built from, when that differs and the
 *     ecosystem's advisories name source packages (Debian's and Ubuntu's {@code Source:},
 *     Alpine's {@code o:}); null otherwise
 * @param sourceVersion the source package's version, when the database records a different one
 * @param purl its package URL ({@code pkg:deb/debian/openssl@3.0.11-1?distro=debian-12})
 * @param path the file it was read from inside the image ({@code var/lib/dpkg/status},
 *     {@code app/lib/foo.jar!/META-INF/maven/g/a/pom.properties})
 * @param layer the digest of the layer that file is in
 */
public record InstalledPackage(
        Ecosystem ecosystem,
        String release,
        String name,
        String version,
        String sourceName,
        String sourceVersion,
        String purl,
        String path,
        String layer) {

    public InstalledPackage {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** The name advisories use for it: the source package's when there is one. */
    public String advisoryName() {
        return sourceName != null && !sourceName.isBlank() ? sourceName : name;
    }

    /** The version advisories compare: the source package's when the database gives one. */
    public String advisoryVersion() {
        return sourceVersion != null && !sourceVersion.isBlank() ? sourceVersion : version;
    }
}
