package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Optional;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven versions, ordered by Maven's own {@link ComparableVersion} (maven-artifact), the rules
 * Maven itself resolves ranges with: {@code 1 = 1.0 = 1.0.0}, qualifiers
 * {@code alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp}, and
 * unknown qualifiers after those, case-insensitively.
 *
 * <p>ComparableVersion accepts any string, so every non-blank string is valid; only null and
 * blank strings are invalid and sort first.
 */
final class MavenVersionScheme extends ParsedVersionScheme<ComparableVersion> {

    @Override
    public Ecosystem.Scheme scheme() {
        return Ecosystem.Scheme.MAVEN;
    }

    @Override
    Optional<ComparableVersion> parse(String version) {
        String v = version.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ComparableVersion(v));
        } catch (RuntimeException e) {
            // not expected from maven-artifact 3.9, but a library bug must not fail a scan
            return Optional.empty();
        }
    }

    @Override
    int compareParsed(ComparableVersion a, ComparableVersion b) {
        return a.compareTo(b);
    }
}
