package io.berth.scanner.inventory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one kind of file of an image (a package database, a jar, a package.json) and says what
 * it found. Analyzers are asked about every regular file of every layer by its normalised path
 * ({@link EntryPaths}); only the ones they want are opened, so an analyzer must decide by path
 * (and mode) alone. What an analyzer returns belongs to that path: a later layer that replaces or deletes
 * the file replaces or removes it.
 *
 * <p>An analyzer never closes {@code content}, never reads past it, and throws IOException (or
 * returns {@link Findings#NONE}) for a file it cannot parse; the inventory turns that into a
 * warning and goes on with the layer.
 */
interface Analyzer {

    /** Whether it reads the regular file at this normalised path with this mode (permission bits). */
    boolean wants(String path, int mode);

    /** The largest file it reads; a bigger one is skipped with a warning, never read. */
    long maxBytes(InventoryLimits limits);

    /**
     * @param path the file's normalised path in the image
     * @param content the file's bytes, exactly {@code size} of them
     */
    Findings analyze(String path, InputStream content, long size, Context context) throws IOException;

    /** The limits of this inventory and where warnings go. */
    interface Context {
        InventoryLimits limits();

        void warn(String message);
    }
}
