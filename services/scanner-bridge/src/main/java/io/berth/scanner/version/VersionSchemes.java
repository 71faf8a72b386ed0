package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one {@link VersionScheme} of each {@link Ecosystem.Scheme}. The schemes are stateless and
 * thread-safe, so each is a singleton; ADR 0032 says which library or algorithm each uses and
 * how it orders strings that are not versions.
 */
public final class VersionSchemes {

    /**
     * The longest string any scheme parses as a version (256 characters); longer ones are
     * invalid and take their scheme's fallback order. Real versions stay far below it (a long
     * Debian one, "2:1.2.3+dfsg1-4ubuntu0.1~22.04.1", has 32), and parsing megabytes of junk
     * from a hostile image is not worth the time or the stack.
     */
    public static final int MAX_LENGTH = 256;

    private static final Map<Ecosystem.Scheme, VersionScheme> SCHEMES = new EnumMap<>(Ecosystem.Scheme.class);

    static {
        register(new DpkgVersionScheme());
        register(new ApkVersionScheme());
        register(new RpmVersionScheme());
        register(new MavenVersionScheme());
        register(new NpmSemverScheme());
        register(new Pep440VersionScheme());
        register(new GoVersionScheme());
        for (Ecosystem.Scheme s : Ecosystem.Scheme.values()) {
            if (!SCHEMES.containsKey(s)) {
                throw new ExceptionInInitializerError("no version scheme for " + s);
            }
        }
    }

    private VersionSchemes() {
    }

    private static void register(VersionScheme scheme) {
        SCHEMES.put(scheme.scheme(), scheme);
    }

    /** The scheme's comparator; never null. */
    public static VersionScheme of(Ecosystem.Scheme scheme) {
        return SCHEMES.get(Objects.requireNonNull(scheme, "scheme"));
    }

    /** The comparator of the ecosystem's version scheme; never null. */
    public static VersionScheme of(Ecosystem ecosystem) {
        return of(Objects.requireNonNull(ecosystem, "ecosystem").scheme());
    }
}
