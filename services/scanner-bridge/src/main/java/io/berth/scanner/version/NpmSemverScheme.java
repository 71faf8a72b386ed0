package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Optional;
import java.util.regex.Matcher;
import org.semver4j.Semver;

/**
 * npm versions: SemVer 2.0, parsed by semver4j and ordered by semver.org §11 (numeric core, a
 * pre-release is older than its release, identifiers compared numerically or lexically in
 * ASCII order, numeric before alphanumeric, build metadata ignored); {@link SemverParts} says
 * why the precedence is not semver4j's own.
 *
 * <p>Like npm's loose mode, these are accepted and normalised before parsing: surrounding
 * blanks, a leading {@code v} or {@code =}, missing minor or patch ({@code 1.2 = 1.2.0}),
 * leading zeros in numbers, and a pre-release without its hyphen ({@code 1.2.3beta}).
 * Anything else (and numbers too long for semver4j, see {@link SemverParts}) is invalid and
 * sorts before all valid versions, lexically among itself.
 */
final class NpmSemverScheme extends ParsedVersionScheme<Semver> {

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.SEMVER;
    }

    @Override
    Optional<Semver> parse(String version) {
        String v = version.strip();
        while (!v.isEmpty() && (v.charAt(0) == 'v' || v.charAt(0) == 'V' || v.charAt(0) == '=')) {
            v = v.substring(1).stripLeading();
        }
        Optional<Matcher> m = SemverParts.match(v);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Matcher g = m.get();
        return SemverParts.toSemver(g.group(1), g.group(2), g.group(3), g.group(4), g.group(5));
    }

    @Override
    int compareParsed(Semver a, Semver b) {
        return SemverParts.precedence(a, b);
    }
}
