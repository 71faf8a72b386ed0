package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Optional;
import java.util.regex.Matcher;
import org.semver4j.Semver;

/**
 * Go module versions: SemVer 2.0 with a leading {@code v}, as golang.org/x/mod/semver reads
 * them, parsed by semver4j and ordered by semver.org §11 ({@link SemverParts}). {@code v1} and {@code v1.2} are shorthands for {@code v1.0.0} and
 * {@code v1.2.0} but take no pre-release or build; numbers have no leading zeros; build
 * metadata ({@code +incompatible}) is ignored. Pseudo-versions
 * ({@code v0.0.0-20191109021931-daa7c04131f5}, {@code v1.2.4-0.2019...-abc},
 * {@code v1.2.3-pre.0.2019...-abc}) are ordinary pre-releases, so they sort after the release
 * or pre-release they build on and before the next one, by commit time.
 *
 * <p>The {@code v} is optional here because OSV's Go records write versions without it
 * ("1.20.5") while binaries' build info has it. Anything else is invalid and sorts before all
 * valid versions, lexically among itself (x/mod calls all invalid versions equal).
 */
final class GoVersionScheme extends ParsedVersionScheme<Semver> {

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.GO;
    }

    @Override
    Optional<Semver> parse(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        // the loose grammar lets "1.2.3beta" through; Go wants the hyphen
        Optional<Matcher> m = SemverParts.match(v);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Matcher g = m.get();
        String pre = g.group(4);
        boolean shorthand = g.group(3) == null;
        if ((shorthand && (pre != null || g.group(5) != null))
                || (pre != null && v.charAt(g.start(4) - 1) != '-')
                || SemverParts.leadingZero(g.group(1)) || SemverParts.leadingZero(g.group(2))
                || SemverParts.leadingZero(g.group(3)) || numericIdWithLeadingZero(pre)) {
            return Optional.empty();
        }
        return SemverParts.toSemver(g.group(1), g.group(2), g.group(3), pre, g.group(5));
    }

    private static boolean numericIdWithLeadingZero(String pre) {
        if (pre == null) {
            return false;
        }
        for (String id : pre.split("\\.")) {
            if (Digits.allDigits(id) && SemverParts.leadingZero(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    int compareParsed(Semver a, Semver b) {
        return SemverParts.precedence(a, b);
    }
}
