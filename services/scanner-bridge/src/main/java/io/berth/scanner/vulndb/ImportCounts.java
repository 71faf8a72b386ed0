package io.berth.scanner.vulndb;

import java.util.LinkedHashSet;
import java.util.Set;

/** What one import did, counted as it goes (one import, one thread). */
final class ImportCounts {
    long records;
    long added;
    long updated;
    long unchanged;
    long withdrawn;
    final Set<String> ecosystems = new LinkedHashSet<>();
}
