package io.berth.scanner.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The vulnerability database's imports (docs/adr/0033-vulnerability-database.md): the bounds that
 * keep a hostile or broken upload from filling memory, disk or the database. Every key has a
 * documented default; an import over a bound fails as a whole (413) and changes nothing.
 */
@ConfigMapping(prefix = "berth.scanner.vulndb")
public interface VulnDbConfig {

    /**
     * The largest request body an import takes, as sent (a zip compressed). OSV's largest
     * per-ecosystem exports are a few hundred MiB.
     */
    @WithDefault("1G")
    MemorySize maxImportSize();

    /** The largest one record may be, uncompressed (a zip entry, or a single JSON record). */
    @WithDefault("4M")
    MemorySize maxRecordSize();

    /** The most a zip's entries may add up to uncompressed (a zip bomb stops here). */
    @WithDefault("8G")
    MemorySize maxUncompressedSize();

    /** The most entries a zip may hold. */
    @WithDefault("1000000")
    int maxEntries();
}
