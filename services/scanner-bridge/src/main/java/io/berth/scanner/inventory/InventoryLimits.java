package io.berth.scanner.inventory;

/**
 * The caps that keep an inventory's memory flat whatever the image. Only files analyzers want
 * are ever held in memory, each under its cap; a file over its cap is skipped with a warning.
 *
 * @param packageDatabaseBytes dpkg {@code status}, apk {@code installed} (a full Debian status is ~2 MiB)
 * @param rpmdbBytes {@code rpmdb.sqlite}, copied to a temp file for SQLite, deleted after
 * @param metadataBytes one small metadata file: os-release, pom.properties, MANIFEST.MF,
 *     package.json, the header part of a Python METADATA
 * @param jarDepth how deep jars inside jars are walked (1: only jars that are files of the image)
 * @param maxPackages how many packages one image may hold before the inventory gives up
 * @param maxWarnings how many warnings are kept (the rest are counted)
 */
public record InventoryLimits(
        long packageDatabaseBytes,
        long rpmdbBytes,
        int metadataBytes,
        int jarDepth,
        int maxPackages,
        int maxWarnings) {

    public static final InventoryLimits DEFAULTS =
            new InventoryLimits(8L << 20, 64L << 20, 1 << 20, 4, 200_000, 100);
}
