package io.berth.scanner.version;

import java.util.Optional;

/**
 * The shared shape of the schemes that parse a version into a value before comparing: valid
 * versions compare by the scheme's rules; a string that does not parse sorts before every
 * valid one, and invalid strings sort among themselves by {@link String#compareTo} (null first).
 * That is a total order whatever the input, so a garbage version in an image can never make a
 * sort or a range check throw; it only makes the version look older than any real one, which
 * errs towards reporting a vulnerability rather than hiding it.
 *
 * <p>A string longer than {@link VersionSchemes#MAX_LENGTH} characters is invalid without being
 * parsed: the regular expressions and maven-artifact's parser recurse or go quadratic on
 * hundreds of kilobytes of junk, and no real version is that long.
 *
 * @param <V> the parsed form
 */
abstract class ParsedVersionScheme<V> implements VersionScheme {

    /** The parsed form of {@code version}, empty if it is not a version under this scheme. */
    abstract Optional<V> parse(String version);

    /** The scheme's own order of two parsed versions. */
    abstract int compareParsed(V a, V b);

    @Override
    public final boolean isValid(String version) {
        return parseBounded(version).isPresent();
    }

    @Override
    public final int compare(String a, String b) {
        Optional<V> pa = parseBounded(a);
        Optional<V> pb = parseBounded(b);
        if (pa.isPresent() && pb.isPresent()) {
            return Integer.signum(compareParsed(pa.get(), pb.get()));
        }
        if (pa.isPresent()) {
            return 1;
        }
        if (pb.isPresent()) {
            return -1;
        }
        return lexically(a, b);
    }

    private Optional<V> parseBounded(String version) {
        if (version == null || version.length() > VersionSchemes.MAX_LENGTH) {
            return Optional.empty();
        }
        return parse(version);
    }

    static int lexically(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return Integer.signum(a.compareTo(b));
    }
}
