package io.berth.scanner.version;

import io.berth.scanner.model.Ecosystem;
import java.util.Comparator;

/**
 * How one ecosystem orders its versions ({@link Ecosystem.Scheme}). {@link #compare} is total
 * over any strings: a version the scheme cannot parse is ordered by the scheme's documented
 * fallback, never by throwing, because package databases in images hold whatever their
 * builders wrote. {@link #isValid} says whether a string parses under the scheme's own rules.
 */
public interface VersionScheme extends Comparator<String> {

    Ecosystem.Scheme scheme();

    /** Whether {@code version} is a version under this scheme's rules. */
    boolean isValid(String version);
}
