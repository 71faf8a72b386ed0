package io.berth.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file operations {@link FilesystemBlobStore} is built from. A file becomes visible under its
 * name only whole and durable: it is written under a temporary name in the same directory,
 * forced to disk, renamed onto its name (one atomic {@code rename(2)}, which replaces what was
 * there), and the directory is forced so the rename itself survives a crash. A reader therefore
 * sees the old file or the new one, never part of one.
 */
final class AtomicFiles {

    /** Writes the content of a file being published. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel file) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Publishes {@code target} with what {@code content} writes. If anything fails, the temporary
     * file is removed (best effort: a leftover keeps its temporary name, see
     * {@link FilesystemBlobStore#listTemporaries}) and {@code target} is as it was.
     *
     * @throws IOException if writing, forcing or renaming fails, or whatever {@code content} throws
     */
    static void publish(Path target, Content content) throws IOException {
        Path temporary = FilesystemLayout.temporaryFor(target);
        boolean published = false;
        try {
            try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(file);
                file.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            published = true;
        } finally {
            if (!published) {
                deleteQuietly(temporary);
            }
        }
        forceDirectory(target.getParent());
    }

    /**
     * Forces a directory's entries to disk, so a rename or delete in it survives a crash. Linux
     * allows fsync on a directory opened for reading (on NFS it is a COMMIT; the server applied
     * the rename synchronously anyway).
     */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Removes a directory and what it holds: first renamed to a temporary name (one atomic step
     * after which nothing finds it under its old name), then emptied and removed. Once renamed,
     * the directory is gone as far as anyone can tell, so a removal that fails after that is not
     * an error: it leaves a temporary-named directory for {@link FilesystemBlobStore#listTemporaries}.
     *
     * @return false if the directory did not exist
     * @throws IOException if the rename fails (the directory is then still there)
     */
    static boolean retireDirectory(Path directory) throws IOException {
        Path retired = FilesystemLayout.temporaryFor(directory);
        try {
            Files.move(directory, retired, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return false;
        }
        deleteQuietly(retired);
        return true;
    }

    /**
     * Deletes a file or a directory tree. A writer that still adds a file while the tree goes (a
     * part written into an upload that is being aborted) makes the directory non-empty again;
     * three rounds are enough for that writer's rename to have failed.
     */
    static void deleteTree(Path path) throws IOException {
        for (int round = 1; ; round++) {
            try {
                deleteTreeOnce(path);
                return;
            } catch (DirectoryNotEmptyException e) {
                if (round == 3) {
                    throw e;
                }
            }
        }
    }

    private static void deleteTreeOnce(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children = new ArrayList<>();
            try (Stream<Path> list = Files.list(path)) {
                list.forEach(children::add);
            } catch (NoSuchFileException gone) {
                return;
            }
            for (Path child : children) {
                deleteTreeOnce(child);
            }
        }
        Files.deleteIfExists(path);
    }

    static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException | RuntimeException e) {
            // A leftover with a temporary name: listed for purging, never read.
        }
    }

    /** Copies {@code count} bytes from {@code position} of {@code source} to the end of {@code target}. */
    static void transferFully(FileChannel source, long position, long count, FileChannel target) throws IOException {
        long done = 0;
        while (done < count) {
            long n = source.transferTo(position + done, count - done, target);
            if (n <= 0) {
                // transferTo returns 0 at end of file: the source is shorter than it said.
                throw new IOException("file ended after " + done + " of " + count + " bytes");
            }
            done += n;
        }
    }
}
