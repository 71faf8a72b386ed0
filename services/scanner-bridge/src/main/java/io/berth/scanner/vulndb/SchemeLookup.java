package io.berth.scanner.vulndb;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.version.VersionScheme;
import io.berth.scanner.version.VersionSchemes;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The version order of each {@link Ecosystem.Scheme}, for {@link VulnerabilityMatcher}: the
 * ecosystems' own rules in {@code io.berth.scanner.version} (ADR 0032).
 */
@ApplicationScoped
public class SchemeLookup {

    /** The order of {@code scheme}'s versions; never null. */
    public VersionScheme of(Ecosystem.Scheme scheme) {
        return VersionSchemes.of(scheme);
    }
}
