package io.berth.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link BlobStore} in a directory on a local disk or a shared mount (NFS, CephFS, GlusterFS),
 * laid out as {@link FilesystemLayout} describes (ADR 0024). Every piece of state is a file, so
 * a multipart upload survives a restart and can be continued or completed by another replica
 * that mounts the same directory; nothing is cached in memory.
 *
 * <p>A blob, a tail or a part appears under its name only whole and on disk
 * ({@link AtomicFiles#publish}); a reader opens the file once and keeps reading it even if it is
 * deleted or replaced meanwhile. A delete racing a publish of the same object id therefore ends
 * with the whole new file or with none, never a half file: see ADR 0024 for every case.
 *
 * <p>A failure of the filesystem (missing or unwritable root, disk full, an I/O error, a stale
 * NFS handle) is a {@link StorageUnavailableException}. It has no URLs: {@link #redirect} is
 * empty, and berth serves the bytes itself.
 */
public final class FilesystemBlobStore implements BlobStore {

    /** Copy buffer for writes from a caller's stream. */
    private static final int COPY_BUFFER = 256 * 1024;

    private final FilesystemLayout layout;

    /** A store under {@code root}; touches nothing on disk, so a missing mount fails the readiness check, not startup. */
    public FilesystemBlobStore(Path root) {
        this.layout = new FilesystemLayout(root);
    }

    /** The root directory, absolute. */
    public Path root() {
        return layout.root();
    }

    /**
     * Checks that the root is a directory in which berth can create, force and remove a file
     * (a real write: on NFS with root squashing, permission bits alone do not tell).
     *
     * @throws StorageUnavailableException if the root is missing, not a directory or not writable
     */
    @Override
    public void checkAvailable() {
        Path root = layout.root();
        if (!Files.isDirectory(root)) {
            throw new StorageUnavailableException("storage root " + root + " does not exist or is not a directory");
        }
        Path probe = FilesystemLayout.temporaryFor(root.resolve("probe"));
        try {
            try (FileChannel file = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.wrap(new byte[] {1}));
                file.force(true);
            }
            Files.delete(probe);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(probe);
            throw unavailable("storage root " + root + " is not writable", e);
        }
    }

    /** A part is a range of the upload's data file, of any size. */
    @Override
    public boolean takesSmallParts() {
        return true;
    }

    /** The root directory: what {@link StorageReadinessCheck} reports where S3 reports its bucket. */
    @Override
    public String bucket() {
        return layout.root().toString();
    }

    @Override
    public String beginMultipart(ObjectId id) {
        String multipartId = UUID.randomUUID().toString();
        Path upload = layout.upload(id, multipartId).orElseThrow();
        try {
            ensureDirectory(layout.multipartDirectory());
            Files.createDirectory(upload);
            AtomicFiles.forceDirectory(upload.getParent());
        } catch (IOException e) {
            throw unavailable("beginning a multipart upload of " + ObjectKeys.blob(id), e);
        }
        return multipartId;
    }

    @Override
    public CompletedPart writePart(ObjectId id, String s3UploadId, int partNumber, byte[] data, int length) {
        BlobArguments.checkPart(partNumber, data, length);
        Path upload = existingUpload(id, s3UploadId);
        try {
            OptionalLong offset = appendOffset(upload, partNumber);
            if (offset.isPresent()) {
                return appendPart(upload, partNumber, offset.getAsLong(), length,
                        file -> writeAll(file, data, 0, length));
            }
        } catch (NoSuchFileException e) {
            throw uploadUnknown(id, s3UploadId, e);
        } catch (IOException e) {
            throw unavailable("writing part " + partNumber + " of " + ObjectKeys.blob(id), e);
        }
        return publishPart(id, s3UploadId, partNumber, "writing part " + partNumber,
                file -> writeAll(file, data, 0, length));
    }

    /**
     * Where part {@code number} goes in the upload's data file: right after part n-1 when every
     * part so far lies there, in order, once each (a push's parts arrive so); empty when the part
     * needs a file of its own (written out of order or again, or after a copied part), which
     * leaves every part already written as it is.
     */
    private static OptionalLong appendOffset(Path upload, int number) throws IOException {
        List<FilesystemLayout.PartEntry> entries = partEntries(upload);
        if (entries.size() != number - 1 || entries.stream().anyMatch(e -> !e.inData())) {
            return OptionalLong.empty();
        }
        long end = 0;
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            if (e.number() != i + 1 || e.offset() != end) {
                return OptionalLong.empty();
            }
            end = e.end();
        }
        return OptionalLong.of(end);
    }

    /**
     * Writes the part's {@code length} bytes into the data file from {@code offset} on (what
     * {@code content} writes from the channel's position), forces it, then publishes its marker
     * (which forces the directory, the data file's own entry with it). A write that dies before
     * the marker leaves bytes past the last marker, which the next part overwrites and
     * completion cuts off.
     */
    private static CompletedPart appendPart(Path upload, int number, long offset, long length,
            AtomicFiles.Content content) throws IOException {
        try (FileChannel file = FileChannel.open(FilesystemLayout.data(upload), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            file.position(offset);
            content.writeTo(file);
            if (file.position() != offset + length) {
                throw new IOException("part " + number + " should end at " + (offset + length) + " of "
                        + FilesystemLayout.data(upload) + ", not at " + file.position());
            }
            file.force(false);
        }
        String etag = FilesystemLayout.newEtag();
        AtomicFiles.publish(FilesystemLayout.marker(upload, number, etag, offset, length), file -> { });
        return new CompletedPart(number, etag, length);
    }

    /** The parts in an upload's directory, by number (a rewritten number twice). */
    private static List<FilesystemLayout.PartEntry> partEntries(Path upload) throws IOException {
        try (var names = Files.list(upload)) {
            return names.map(f -> FilesystemLayout.partEntry(f.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .sorted(Comparator.comparingInt(FilesystemLayout.PartEntry::number))
                    .toList();
        }
    }

    /** Copies the source file inside the filesystem ({@code copy_file_range(2)} where the platform has it). */
    @Override
    public CompletedPart copyPart(ObjectId id, String s3UploadId, int partNumber, ObjectId source, long length) {
        BlobArguments.checkCopy(partNumber, length);
        FileChannel from = openBlob(source, "copying " + ObjectKeys.blob(source));
        try (from) {
            Path upload = existingUpload(id, s3UploadId);
            try {
                OptionalLong offset = appendOffset(upload, partNumber);
                if (offset.isPresent()) {
                    long size = from.size();
                    return appendPart(upload, partNumber, offset.getAsLong(), size,
                            data -> AtomicFiles.transferFully(from, 0, size, data));
                }
            } catch (NoSuchFileException e) {
                throw uploadUnknown(id, s3UploadId, e);
            } catch (IOException e) {
                throw unavailable("copying " + ObjectKeys.blob(source) + " into part " + partNumber + " of "
                        + ObjectKeys.blob(id), e);
            }
            return publishPart(id, s3UploadId, partNumber, "copying " + ObjectKeys.blob(source) + " into part " + partNumber,
                    file -> AtomicFiles.transferFully(from, 0, from.size(), file));
        } catch (IOException e) {
            throw unavailable("closing " + ObjectKeys.blob(source), e);
        }
    }

    private CompletedPart publishPart(ObjectId id, String multipartId, int partNumber, String action,
            AtomicFiles.Content content) {
        Path upload = existingUpload(id, multipartId);
        String etag = FilesystemLayout.newEtag();
        Path part = FilesystemLayout.part(upload, partNumber, etag).orElseThrow();
        try {
            AtomicFiles.publish(part, content);
            return new CompletedPart(partNumber, etag, Files.size(part));
        } catch (NoSuchFileException e) {
            // The upload's directory went away under the write: aborted or completed meanwhile.
            throw uploadUnknown(id, multipartId, e);
        } catch (IOException e) {
            throw unavailable(action + " of " + ObjectKeys.blob(id), e);
        }
    }

    /**
     * Makes the blob from the parts, then removes the upload. When the parts lie in the data file
     * in order (a push's do) the file itself becomes the blob ({@link #publishData}); otherwise
     * they are copied into a new file ({@link #concatenate}).
     */
    @Override
    public void completeMultipart(ObjectId id, String s3UploadId, List<CompletedPart> parts) {
        String key = ObjectKeys.blob(id);
        List<CompletedPart> sorted = BlobArguments.sortedParts(key, parts);
        Path upload = existingUpload(id, s3UploadId);
        try {
            Map<String, FilesystemLayout.PartEntry> entries = new HashMap<>();
            for (var e : partEntries(upload)) {
                entries.put(e.number() + "." + e.etag(), e);
            }
            List<FilesystemLayout.PartEntry> chosen = new ArrayList<>(sorted.size());
            long total = 0;
            boolean inOrder = true;
            for (int i = 0; i < sorted.size(); i++) {
                CompletedPart part = sorted.get(i);
                var entry = entries.get(part.number() + "." + part.etag());
                if (entry == null) {
                    throw new IllegalArgumentException("part " + part.number() + " of " + key
                            + " with etag " + part.etag() + " was never written (InvalidPart)");
                }
                long size = entry.inData() ? entry.length()
                        : Files.size(FilesystemLayout.part(upload, entry.number(), entry.etag()).orElseThrow());
                inOrder &= entry.inData() && entry.offset() == total;
                total += size;
                chosen.add(entry);
            }
            ensureDirectory(layout.blob(id).getParent());
            if (inOrder) {
                publishData(upload, layout.blob(id), total);
            } else {
                concatenate(upload, chosen, layout.blob(id));
            }
        } catch (NoSuchFileException e) {
            throw uploadUnknown(id, s3UploadId, e);
        } catch (IOException e) {
            throw unavailable("completing the multipart upload of " + key, e);
        }
        retireUpload(id, upload);
    }

    /**
     * The parts lie in the data file in order from its start: it becomes the blob as it is, cut
     * to {@code total} bytes (a part written after the last one listed, or a write that died,
     * may have left more), forced, and renamed onto the blob's name, so no byte is copied (when
     * the blobs' directory is on another filesystem, which refuses the rename, it is copied). If the
     * data file is gone because a completion got this far and crashed before the upload was
     * removed, the blob it made is the result again.
     */
    private static void publishData(Path upload, Path blob, long total) throws IOException {
        Path data = FilesystemLayout.data(upload);
        try (FileChannel file = FileChannel.open(data, StandardOpenOption.WRITE)) {
            if (file.size() < total) {
                throw new IOException(data + " holds " + file.size() + " bytes, less than the " + total + " its parts need");
            }
            file.truncate(total);
            file.force(true);
        } catch (NoSuchFileException e) {
            if (Files.isRegularFile(blob) && Files.size(blob) == total) {
                return;
            }
            throw e;
        }
        try {
            Files.move(data, blob, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException elsewhere) {
            // blobs/ on another filesystem than multipart/ (mounted apart): copy, as for mixed parts.
            AtomicFiles.publish(blob, target -> {
                try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ)) {
                    AtomicFiles.transferFully(in, 0, total, target);
                }
            });
            return;
        }
        AtomicFiles.forceDirectory(blob.getParent());
    }

    /**
     * Copies the parts into a temporary file beside the blob ({@code FileChannel.transferTo},
     * which the kernel copies without user space) and publishes it; a part in the data file is
     * copied from its range there. A crash before the upload is removed leaves it complete-able
     * again, with the same result.
     */
    private static void concatenate(Path upload, List<FilesystemLayout.PartEntry> parts, Path blob) throws IOException {
        AtomicFiles.publish(blob, target -> {
            FileChannel data = null;
            try {
                for (var part : parts) {
                    if (part.inData()) {
                        if (data == null) {
                            data = FileChannel.open(FilesystemLayout.data(upload), StandardOpenOption.READ);
                        }
                        AtomicFiles.transferFully(data, part.offset(), part.length(), target);
                    } else {
                        try (FileChannel in = FileChannel.open(FilesystemLayout.part(upload, part.number(), part.etag())
                                .orElseThrow(), StandardOpenOption.READ)) {
                            AtomicFiles.transferFully(in, 0, in.size(), target);
                        }
                    }
                }
            } finally {
                if (data != null) {
                    data.close();
                }
            }
        });
    }

    @Override
    public void abortMultipart(ObjectId id, String s3UploadId) {
        Objects.requireNonNull(s3UploadId, "s3UploadId");
        layout.upload(id, s3UploadId).ifPresent(upload -> retireUpload(id, upload));
    }

    /**
     * Not forced to disk: an upload that comes back after a crash is completed again to the same
     * bytes, or aborted again by its session's clean-up.
     */
    private void retireUpload(ObjectId id, Path upload) {
        try {
            AtomicFiles.retireDirectory(upload);
        } catch (IOException e) {
            throw unavailable("removing the multipart upload of " + ObjectKeys.blob(id), e);
        }
    }

    @Override
    public void put(ObjectId id, InputStream data, long length) {
        String key = ObjectKeys.blob(id);
        Objects.requireNonNull(data, "data");
        BlobArguments.checkBlobLength(length);
        IOException[] callerFailure = new IOException[1];
        try {
            ensureDirectory(layout.blob(id).getParent());
            AtomicFiles.publish(layout.blob(id), file -> {
                byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, length))];
                long remaining = length;
                while (remaining > 0) {
                    int n;
                    try {
                        n = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                        if (n < 0) {
                            throw new EOFException("stream ended " + remaining + " bytes before its announced length");
                        }
                    } catch (IOException e) {
                        callerFailure[0] = e;
                        throw e;
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        file.write(bytes);
                    }
                    remaining -= n;
                }
            });
        } catch (IOException e) {
            if (callerFailure[0] != null) {
                throw new UncheckedIOException("reading the bytes for " + key + " failed", callerFailure[0]);
            }
            throw unavailable("writing " + key, e);
        }
    }

    @Override
    public void put(ObjectId id, byte[] data, int length) {
        BlobArguments.checkInMemoryBlob(data, length);
        Path blob = layout.blob(id);
        try {
            ensureDirectory(blob.getParent());
            AtomicFiles.publish(blob, file -> writeAll(file, data, 0, length));
        } catch (IOException e) {
            throw unavailable("writing " + ObjectKeys.blob(id), e);
        }
    }

    @Override
    public void putTail(UUID uploadId, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Path tail = layout.tail(uploadId);
        try {
            ensureDirectory(tail.getParent());
            AtomicFiles.publish(tail, file -> writeAll(file, data, offset, length));
        } catch (IOException e) {
            throw unavailable("writing " + ObjectKeys.tail(uploadId), e);
        }
    }

    @Override
    public InputStream openTail(UUID uploadId) {
        String key = ObjectKeys.tail(uploadId);
        try {
            FileChannel file = FileChannel.open(layout.tail(uploadId), StandardOpenOption.READ);
            return new FileRangeStream(file, 0, file.size());
        } catch (NoSuchFileException e) {
            checkRoot(e);
            throw new BlobNotFoundException(key, "upload tail " + key + " does not exist");
        } catch (IOException e) {
            throw unavailable("reading " + key, e);
        }
    }

    @Override
    public void deleteTail(UUID uploadId) {
        delete(layout.tail(uploadId), ObjectKeys.tail(uploadId));
    }

    @Override
    public long size(ObjectId id) {
        try {
            return Files.size(layout.blob(id));
        } catch (NoSuchFileException e) {
            checkRoot(e);
            throw blobUnknown(id, e);
        } catch (IOException e) {
            throw unavailable("looking up " + ObjectKeys.blob(id), e);
        }
    }

    @Override
    public InputStream open(ObjectId id, long offset, long length) {
        BlobArguments.checkRange(offset, length);
        FileChannel file = openBlob(id, "reading " + ObjectKeys.blob(id));
        try {
            long end = boundedEnd(id, file.size(), offset, length);
            return new FileRangeStream(file, offset, end);
        } catch (IOException | RuntimeException e) {
            closeQuietly(file);
            throw e instanceof IOException io ? unavailable("reading " + ObjectKeys.blob(id), io) : (RuntimeException) e;
        }
    }

    /**
     * Sends bytes {@code [offset, offset+length)} of blob {@code id} to {@code target} with
     * {@code FileChannel.transferTo}: where the platform allows (Linux, a socket or file as
     * target) the kernel moves the bytes without copying them through the JVM ({@code sendfile(2)}).
     * The capability the streaming {@link BlobStore} operations can use for zero-copy sends.
     *
     * @param length more than 0, or -1 for everything from {@code offset}; a range past the end is cut there
     * @return how many bytes were sent
     * @throws IllegalArgumentException as for {@link #open}
     * @throws BlobNotFoundException if the blob does not exist
     * @throws UncheckedIOException if writing to {@code target} fails (the caller's side)
     * @throws StorageUnavailableException if reading the file fails
     */
    public long transferTo(ObjectId id, long offset, long length, WritableByteChannel target) {
        BlobArguments.checkRange(offset, length);
        try (FileChannel file = openBlob(id, "reading " + ObjectKeys.blob(id))) {
            long end = boundedEnd(id, file.size(), offset, length);
            long sent = 0;
            while (offset + sent < end) {
                long n = file.transferTo(offset + sent, end - offset - sent, target);
                if (n <= 0) {
                    throw new IOException("file ended " + (end - offset - sent) + " bytes early");
                }
                sent += n;
            }
            return sent;
        } catch (IOException e) {
            // transferTo does not say which side failed; the disk's failures are far rarer than a client's.
            throw new UncheckedIOException("sending " + ObjectKeys.blob(id) + " failed", e);
        }
    }

    /**
     * Hands the file to the sink when it can send a file itself (an HTTP response: the kernel's
     * {@code sendfile(2)}, no byte through the JVM's heap); otherwise the default piece-by-piece
     * loop. The blob and the range are checked first, so a missing blob or a range outside it
     * fails with nothing written. A blob deleted after the check may still fail the send before
     * its first byte; once the file is open, a delete does not cut it short.
     */
    @Override
    public CompletionStage<Void> send(ObjectId id, long offset, long length, ByteSink sink) {
        long end;
        try {
            BlobArguments.checkRange(offset, length);
            end = boundedEnd(id, size(id), offset, length);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (end == offset) {
            // An empty blob: nothing to send but the end.
            return BlobStore.super.send(id, offset, length, sink);
        }
        return sink.sendFile(layout.blob(id), offset, end - offset)
                .orElseGet(() -> BlobStore.super.send(id, offset, length, sink));
    }

    /**
     * The blobs in id order, as S3 lists them: the shard directories ({@code blobs/<ab>}) in
     * order, each one's files in order. Temporaries ({@code .<name>.<rand>.tmp}) and anything not
     * named by an object id are not blobs and are skipped. A file deleted between the listing and
     * its size is left out.
     */
    @Override
    public BlobPage list(String prefix, ObjectId after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        BlobArguments.checkPageLimit(limit);
        String from = after == null ? "" : after.toString();
        List<ListedBlob> page = new ArrayList<>();
        boolean more = false;
        try (var shards = Files.list(layout.blobsDirectory())) {
            List<Path> sorted = shards.filter(d -> {
                String shard = d.getFileName().toString();
                return shard.length() == 2 && (prefix.length() >= 2 ? prefix.startsWith(shard) : shard.startsWith(prefix))
                        && shard.compareTo(from.length() >= 2 ? from.substring(0, 2) : "") >= 0;
            }).sorted().toList();
            outer:
            for (Path shard : sorted) {
                List<Path> files;
                try (var names = Files.list(shard)) {
                    files = names.filter(f -> {
                        String name = f.getFileName().toString();
                        return name.startsWith(prefix) && name.compareTo(from) > 0 && !name.startsWith(".");
                    }).sorted().toList();
                } catch (NoSuchFileException gone) {
                    continue;
                }
                for (Path file : files) {
                    ObjectId id;
                    try {
                        id = ObjectId.parse(file.getFileName().toString());
                    } catch (IllegalArgumentException notOurs) {
                        continue;
                    }
                    if (page.size() == limit) {
                        more = true;
                        break outer;
                    }
                    try {
                        var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                        page.add(new ListedBlob(id, attributes.size(), attributes.lastModifiedTime().toInstant()));
                    } catch (NoSuchFileException deleted) {
                        // Deleted while listing: not there any more.
                    }
                }
            }
        } catch (NoSuchFileException e) {
            checkRoot(e);
        } catch (IOException e) {
            throw unavailable("listing " + ObjectKeys.BLOBS + prefix, e);
        }
        return new BlobPage(page, more ? java.util.Optional.of(page.get(page.size() - 1).id()) : java.util.Optional.empty());
    }

    /**
     * Removes the blob's name. A reader that opened it keeps reading the whole file; a publish of
     * the same id that renames after this is not undone (ADR 0024).
     */
    @Override
    public void delete(ObjectId id) {
        delete(layout.blob(id), ObjectKeys.blob(id));
    }

    /**
     * The temporary files and directories under the root last modified before {@code before}:
     * writes that died (a crash, a lost client, a full disk) and removals that did not finish.
     * A live write touches its file as it goes, so with a cut-off well in the past (an hour) the
     * list holds only leftovers, which {@link #deleteTemporary} removes.
     *
     * @throws StorageUnavailableException if the root cannot be listed
     */
    public List<TemporaryFile> listTemporaries(java.time.Instant before) {
        return FilesystemTemporaries.list(layout, before);
    }

    /**
     * Removes one leftover that {@link #listTemporaries} found (and a directory with what it holds).
     * Idempotent.
     *
     * @throws IllegalArgumentException if {@code temporary} does not name a temporary file under the root
     * @throws StorageUnavailableException if the removal fails
     */
    public void deleteTemporary(TemporaryFile temporary) {
        FilesystemTemporaries.delete(layout, temporary);
    }

    private void delete(Path file, String key) {
        try {
            if (Files.deleteIfExists(file)) {
                AtomicFiles.forceDirectory(file.getParent());
            } else {
                // Nothing to delete, unless the root is gone: then the delete did not happen.
                checkRoot(null);
            }
        } catch (IOException e) {
            throw unavailable("deleting " + key, e);
        }
    }

    private FileChannel openBlob(ObjectId id, String action) {
        try {
            return FileChannel.open(layout.blob(id), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            checkRoot(e);
            throw blobUnknown(id, e);
        } catch (IOException e) {
            throw unavailable(action, e);
        }
    }

    /** The upload's directory, which must exist. */
    private Path existingUpload(ObjectId id, String multipartId) {
        Objects.requireNonNull(multipartId, "s3UploadId");
        Path upload = layout.upload(id, multipartId).orElseThrow(() -> uploadUnknown(id, multipartId, null));
        if (!Files.isDirectory(upload)) {
            checkRoot(null);
            throw uploadUnknown(id, multipartId, null);
        }
        return upload;
    }

    /**
     * Creates a directory under the root if it is missing, never the root itself: a shared mount
     * that is not mounted must not turn into a local directory that fills the node's disk.
     */
    private void ensureDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        checkRoot(null);
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException raced) {
            // Another writer made it first; what matters is that it exists.
        }
    }

    /** A missing root is the operator's problem, never a missing blob. */
    private void checkRoot(IOException cause) {
        if (!Files.isDirectory(layout.root())) {
            throw new StorageUnavailableException("storage root " + layout.root() + " does not exist or is not a directory", cause);
        }
    }

    /**
     * Where a read of {@code [offset, offset+length)} ends in a file of {@code size} bytes. As in
     * S3, a whole read (offset 0, length -1) of an empty blob is fine, any other range must start
     * inside the blob, and one that runs past the end stops there.
     */
    private static long boundedEnd(ObjectId id, long size, long offset, long length) {
        boolean whole = offset == 0 && length == -1;
        if (!whole && offset >= size) {
            throw new IllegalArgumentException("offset " + offset + " is at or past the end of " + ObjectKeys.blob(id)
                    + " (" + size + " bytes)");
        }
        return length == -1 || length > size - offset ? size : offset + length;
    }

    /**
     * Writes {@code data[offset, offset+length)} in pieces of {@link #COPY_BUFFER}. A heap buffer
     * reaches the file through a temporary direct buffer of its size, which the JDK keeps per
     * thread: one 16 MiB write per part would leave 16 MiB of direct memory on every thread that
     * ever wrote a part, and the pushes of a busy replica would run out of it.
     */
    private static void writeAll(FileChannel file, byte[] data, int offset, int length) throws IOException {
        int end = offset + length;
        for (int at = offset; at < end; ) {
            ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(COPY_BUFFER, end - at));
            while (piece.hasRemaining()) {
                file.write(piece);
            }
            at = piece.position();
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // Read-only: nothing was lost.
        }
    }

    private static BlobNotFoundException blobUnknown(ObjectId id, IOException cause) {
        var e = new BlobNotFoundException(id, "blob object " + ObjectKeys.blob(id) + " does not exist");
        e.initCause(cause);
        return e;
    }

    private static BlobNotFoundException uploadUnknown(ObjectId id, String multipartId, IOException cause) {
        var e = new BlobNotFoundException(id, "multipart upload " + multipartId + " of " + ObjectKeys.blob(id)
                + " is unknown (never begun, aborted or completed)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static StorageUnavailableException unavailable(String action, IOException e) {
        return new StorageUnavailableException(action + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
}
