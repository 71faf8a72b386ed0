package io.berth.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and removes the temporary-named leftovers of {@link FilesystemBlobStore}. They can only
 * sit where the store writes: the root (readiness probes), {@code blobs/<ab>/}, {@code uploads/},
 * {@code multipart/} (retired uploads) and each {@code multipart/<upload>/} (parts), so the walk
 * never descends into anything else.
 */
final class FilesystemTemporaries {

    private FilesystemTemporaries() {
    }

    static List<TemporaryFile> list(FilesystemLayout layout, Instant before) {
        List<TemporaryFile> found = new ArrayList<>();
        try {
            for (Path top : layout.topDirectories()) {
                collect(layout, top, before, found);
            }
            for (Path shard : subdirectories(layout.blobsDirectory())) {
                collect(layout, shard, before, found);
            }
            for (Path upload : subdirectories(layout.multipartDirectory())) {
                collect(layout, upload, before, found);
            }
        } catch (IOException e) {
            throw FilesystemBlobStore.unavailable("listing temporary files under " + layout.root(), e);
        }
        return found;
    }

    static void delete(FilesystemLayout layout, TemporaryFile temporary) {
        Path path = layout.root().resolve(temporary.path()).normalize();
        if (!path.startsWith(layout.root()) || path.equals(layout.root())
                || !FilesystemLayout.isTemporary(path.getFileName().toString())) {
            throw new IllegalArgumentException("'" + temporary.path() + "' is not a temporary file of " + layout.root());
        }
        try {
            AtomicFiles.deleteTree(path);
        } catch (IOException e) {
            throw FilesystemBlobStore.unavailable("deleting " + path, e);
        }
    }

    private static void collect(FilesystemLayout layout, Path directory, Instant before, List<TemporaryFile> found)
            throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> FilesystemLayout.isTemporary(entry.getFileName().toString()))) {
            for (Path entry : entries) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException finished) {
                    continue;
                }
                Instant modified = attributes.lastModifiedTime().toInstant();
                if (modified.isBefore(before)) {
                    String relative = layout.root().relativize(entry).toString().replace(entry.getFileSystem().getSeparator(), "/");
                    found.add(new TemporaryFile(relative, attributes.isDirectory(),
                            attributes.isDirectory() ? 0 : attributes.size(), modified));
                }
            }
        } catch (NoSuchFileException notYet) {
            // Nothing was ever written there.
        }
    }

    /** The directories in {@code parent} that are not temporaries themselves. */
    private static List<Path> subdirectories(Path parent) throws IOException {
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent,
                entry -> !FilesystemLayout.isTemporary(entry.getFileName().toString()) && Files.isDirectory(entry))) {
            entries.forEach(directories::add);
        } catch (NoSuchFileException notYet) {
            // Nothing was ever written there.
        }
        return directories;
    }
}
