package io.berth.scanner.vulndb;

import io.berth.scanner.model.Ecosystem;
import io.berth.scanner.version.VersionScheme;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * The version order of each {@link Ecosystem.Scheme}, for {@link VulnerabilityMatcher}. The
 * implementations live in {@code io.berth.scanner.version} (written on another branch of #22);
 * tests replace this bean with their own small schemes.
 */
@ApplicationScoped
public class SchemeLookup {

    /**
     * MERGE STEP: once {@code io.berth.scanner.version.VersionSchemes} is on this branch, this line
     * becomes {@code static final Function<Ecosystem.Scheme, VersionScheme> SCHEMES =
     * io.berth.scanner.version.VersionSchemes::of;} and {@link #notMerged} goes.
     */
    static final Function<Ecosystem.Scheme, VersionScheme> SCHEMES = SchemeLookup::notMerged;

    /** The order of {@code scheme}'s versions; never null. */
    public VersionScheme of(Ecosystem.Scheme scheme) {
        return SCHEMES.apply(scheme);
    }

    private static VersionScheme notMerged(Ecosystem.Scheme scheme) {
        throw new IllegalStateException("no version scheme is wired for " + scheme
                + ": SchemeLookup.SCHEMES must be VersionSchemes::of (see its Javadoc)");
    }
}
