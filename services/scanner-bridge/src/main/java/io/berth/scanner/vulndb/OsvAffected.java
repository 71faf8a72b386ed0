package io.berth.scanner.vulndb;

import java.util.List;
import java.util.Locale;

/**
 * One {@code affected[]} entry of an OSV record, as berth stores it.
 *
 * @param ecosystem the OSV ecosystem without release ("Debian", "Maven")
 * @param release what followed the first colon for an OS ecosystem ("12", "v3.19"); "" for none
 *     and always for language ecosystems (Maven's {@code :<repository URL>} is no release)
 * @param name the package's name, PyPI names normalized ({@link #key})
 * @param purl the record's package URL, or null
 * @param ranges its ranges in the record's order
 * @param versions its explicit versions
 * @param severity the package's own level, or null when the record rates only the advisory
 */
public record OsvAffected(String ecosystem, String release, String name, String purl, List<OsvRange> ranges,
        List<String> versions, Severity severity) {

    public OsvAffected {
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
    }

    /**
     * The name packages are looked up by in {@code ecosystem}: PyPI names as PEP 503 normalizes
     * them (lower case, runs of {@code -_.} as one {@code -}), since a wheel's METADATA and an
     * advisory may spell the same project differently; every other name as it is.
     */
    public static String key(String ecosystem, String name) {
        if ("PyPI".equalsIgnoreCase(ecosystem)) {
            return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
        }
        return name;
    }
}
