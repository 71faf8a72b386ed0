package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link BlobStoreContract} on a temporary directory, and what only a filesystem can get
 * wrong: the layout, leftovers of interrupted writes, a missing root, names from outside.
 */
class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    static Path root;

    @Override
    protected BlobStore newStore() {
        return new FilesystemBlobStore(root);
    }

    @Override
    protected BlobStore reopen() {
        return new FilesystemBlobStore(root);
    }

    private FilesystemBlobStore fs() {
        return (FilesystemBlobStore) store();
    }

    @Test
    void blobsAreShardedByTheFirstTwoHexDigitsOfTheirId() throws IOException {
        ObjectId id = put(CONTENT);
        String name = id.toString();
        Path file = root.resolve("blobs").resolve(name.substring(0, 2)).resolve(name);
        assertArrayEquals(CONTENT, Files.readAllBytes(file));
    }

    private Path uploadDirectory(ObjectId id, String upload) {
        return root.resolve("multipart").resolve(id + "." + upload);
    }

    private static byte[] joined(byte[]... pieces) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void partsWrittenInOrderBecomeTheBlobWithoutACopy() throws Exception {
        byte[] first = randomBytes(5 * MIB, 48);
        byte[] second = randomBytes(MIB + 1, 49);
        ObjectId id = newBlob();
        String upload = store().beginMultipart(id);
        CompletedPart p1 = store().writePart(id, upload, 1, first, first.length);
        CompletedPart p2 = store().writePart(id, upload, 2, second, second.length);
        Path data = uploadDirectory(id, upload).resolve("data");
        assertEquals(first.length + second.length, Files.size(data), "both parts went into the data file");
        Object inode = Files.getAttribute(data, "unix:ino");

        store().completeMultipart(id, upload, List.of(p2, p1));

        Path blob = root.resolve("blobs").resolve(id.toString().substring(0, 2)).resolve(id.toString());
        assertEquals(inode, Files.getAttribute(blob, "unix:ino"), "the data file was copied, not renamed");
        assertArrayEquals(joined(first, second), Files.readAllBytes(blob));
        assertFalse(Files.exists(uploadDirectory(id, upload)));
    }

    @Test
    void completingWithFewerPartsThanWereWrittenCutsTheDataFile() throws Exception {
        byte[] first = randomBytes(5 * MIB, 50);
        byte[] second = randomBytes(100, 51);
        ObjectId id = newBlob();
        String upload = store().beginMultipart(id);
        CompletedPart p1 = store().writePart(id, upload, 1, first, first.length);
        store().writePart(id, upload, 2, second, second.length);

        store().completeMultipart(id, upload, List.of(p1));

        assertEquals(first.length, store().size(id));
        try (InputStream in = store().open(id, 0, -1)) {
            assertArrayEquals(first, in.readAllBytes());
        }
    }

    @Test
    void aPartWrittenAgainGetsAFileOfItsOwnAndTheOthersStayInTheDataFile() throws Exception {
        byte[] first = randomBytes(5 * MIB, 52);
        byte[] second = randomBytes(1000, 53);
        byte[] again = randomBytes(2000, 54);
        byte[] third = randomBytes(300, 55);
        ObjectId id = newBlob();
        String upload = store().beginMultipart(id);
        CompletedPart p1 = store().writePart(id, upload, 1, first, first.length);
        store().writePart(id, upload, 2, second, second.length);
        // Part 2 again, and part 3 after it: both out of the data file's order.
        CompletedPart p2 = store().writePart(id, upload, 2, again, again.length);
        var bigger = randomBytes(5 * MIB, 56);
        CompletedPart p2big = store().writePart(id, upload, 2, bigger, bigger.length);
        CompletedPart p3 = store().writePart(id, upload, 3, third, third.length);
        try (var names = Files.list(uploadDirectory(id, upload))) {
            assertEquals(3, names.filter(f -> f.getFileName().toString().matches("part-0000[23]\\.[0-9a-f]{16}")).count(),
                    "part 2 written twice more and part 3 have files of their own");
        }

        store().completeMultipart(id, upload, List.of(p1, p2big, p3));

        try (InputStream in = store().open(id, 0, -1)) {
            assertArrayEquals(joined(first, bigger, third), in.readAllBytes());
        }
        assertFalse(p2.etag().equals(p2big.etag()));
    }

    @Test
    void aCompletionThatCrashedAfterPublishingCompletesAgainToTheSameBlob() throws Exception {
        byte[] first = randomBytes(5 * MIB, 57);
        byte[] second = randomBytes(10, 58);
        ObjectId id = newBlob();
        String upload = store().beginMultipart(id);
        CompletedPart p1 = store().writePart(id, upload, 1, first, first.length);
        CompletedPart p2 = store().writePart(id, upload, 2, second, second.length);
        // What a crash between the rename and the removal of the upload leaves.
        Path blob = root.resolve("blobs").resolve(id.toString().substring(0, 2)).resolve(id.toString());
        Files.createDirectories(blob.getParent());
        Files.move(uploadDirectory(id, upload).resolve("data"), blob);

        store().completeMultipart(id, upload, List.of(p1, p2));

        assertArrayEquals(joined(first, second), Files.readAllBytes(blob));
        assertFalse(Files.exists(uploadDirectory(id, upload)));
    }

    /** Records the file a send hands over; writes go nowhere and must not happen. */
    private static final class FileTakingSink implements ByteSink {
        Path file;
        long offset = -1;
        long length = -1;
        int writes;

        @Override
        public java.util.concurrent.CompletionStage<Void> write(java.nio.ByteBuffer piece) {
            writes++;
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> end() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void abort(Throwable cause) {
        }

        @Override
        public Optional<java.util.concurrent.CompletionStage<Void>> sendFile(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
            return Optional.of(java.util.concurrent.CompletableFuture.completedFuture(null));
        }
    }

    @Test
    void sendHandsTheFileToASinkThatCanSendFilesWithTheRangeCutAtTheEnd() throws Exception {
        byte[] bytes = randomBytes(3000, 47);
        ObjectId id = put(bytes);
        var sink = new FileTakingSink();

        store().send(id, 1000, 5000, sink).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(0, sink.writes, "the bytes went through the heap");
        assertEquals(1000, sink.offset);
        assertEquals(2000, sink.length, "a range past the end stops there");
        byte[] sent = Files.readAllBytes(sink.file);
        assertArrayEquals(bytes, sent, "the file handed over is not the blob");

        // What cannot be sent is refused before the sink sees anything.
        var outside = new FileTakingSink();
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> store().send(id, 3000, -1, outside).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        var missing = new FileTakingSink();
        e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> store().send(ObjectId.random(), 0, -1, missing).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(BlobNotFoundException.class, e.getCause());
        assertNull(outside.file);
        assertNull(missing.file);
    }

    @Test
    void finishedWritesLeaveNoTemporaryFiles() throws IOException {
        ObjectId id = put(CONTENT);
        String upload = store().beginMultipart(id);
        CompletedPart part = store().writePart(id, upload, 1, CONTENT, CONTENT.length);
        store().completeMultipart(id, upload, List.of(part));
        UUID tail = UUID.randomUUID();
        store().putTail(tail, CONTENT, 0, 3);
        store().deleteTail(tail);
        store().checkAvailable();

        try (Stream<Path> all = Files.walk(root)) {
            List<Path> temporaries = all.filter(p -> FilesystemLayout.isTemporary(p.getFileName().toString())).toList();
            assertEquals(List.of(), temporaries);
        }
        assertEquals(List.of(), fs().listTemporaries(Instant.now().plusSeconds(60)));
        // The upload's directory is gone with it.
        assertFalse(Files.exists(root.resolve("multipart").resolve(id + "." + upload)));
    }

    @Test
    void leftoversOfInterruptedWritesAreListedByAgeAndPurged() throws IOException {
        ObjectId id = put(CONTENT);
        Path shard = root.resolve("blobs").resolve(id.toString().substring(0, 2));
        Path dead = shard.resolve("." + id + ".0123456789abcdef.tmp");
        Files.write(dead, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(dead, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = shard.resolve("." + id + ".fedcba9876543210.tmp");
        Files.write(fresh, new byte[] {4});

        List<TemporaryFile> old = fs().listTemporaries(Instant.now().minus(Duration.ofHours(1)));
        TemporaryFile found = old.stream().filter(t -> t.path().endsWith(dead.getFileName().toString())).findFirst().orElseThrow();
        assertEquals(root.relativize(dead).toString(), found.path());
        assertEquals(3, found.size());
        assertFalse(found.directory());
        assertTrue(old.stream().noneMatch(t -> t.path().endsWith(fresh.getFileName().toString())), old.toString());

        fs().deleteTemporary(found);
        assertFalse(Files.exists(dead));
        assertDoesNotThrow(() -> fs().deleteTemporary(found));
        Files.delete(fresh);
        // Only temporary names can be purged: never a blob, never outside the root.
        String blob = root.relativize(shard.resolve(id.toString())).toString();
        assertThrows(IllegalArgumentException.class, () -> fs().deleteTemporary(new TemporaryFile(blob, false, 0, Instant.EPOCH)));
        assertThrows(IllegalArgumentException.class,
                () -> fs().deleteTemporary(new TemporaryFile("../.x.0123456789abcdef.tmp", false, 0, Instant.EPOCH)));
        assertEquals(CONTENT.length, store().size(id));
    }

    @Test
    void retiredUploadDirectoryThatCouldNotBeRemovedIsListed() throws IOException {
        Path retired = Files.createDirectories(root.resolve("multipart").resolve(".x.0123456789abcdef.tmp"));
        Files.write(retired.resolve("part-00001.0123456789abcdef"), CONTENT);

        TemporaryFile found = fs().listTemporaries(Instant.now().plusSeconds(60)).stream()
                .filter(TemporaryFile::directory).findFirst().orElseThrow();
        fs().deleteTemporary(found);
        assertFalse(Files.exists(retired));
    }

    @Test
    void uploadIdsFromOutsideNeverReachOutsideTheRoot() {
        ObjectId id = ObjectId.random();
        for (String bad : new String[] {"../../etc", "..", "", "0123", UUID.randomUUID() + "/../x"}) {
            assertThrows(BlobNotFoundException.class, () -> store().writePart(id, bad, 1, CONTENT, 1), bad);
            assertThrows(BlobNotFoundException.class,
                    () -> store().completeMultipart(id, bad, List.of(new CompletedPart(1, "0123456789abcdef", 1))), bad);
            assertDoesNotThrow(() -> store().abortMultipart(id, bad));
        }
        // Nor do etags, which name part files.
        String upload = store().beginMultipart(id);
        assertThrows(IllegalArgumentException.class,
                () -> store().completeMultipart(id, upload, List.of(new CompletedPart(1, "../../../blobs", 1))));
        store().abortMultipart(id, upload);
    }

    @Test
    void uploadOfAnotherObjectIsUnknown() {
        ObjectId id = ObjectId.random();
        String upload = store().beginMultipart(id);
        assertThrows(BlobNotFoundException.class, () -> store().writePart(ObjectId.random(), upload, 1, CONTENT, 1));
        store().abortMultipart(id, upload);
    }

    @Test
    void missingRootIsUnavailableAndNeverCreated() {
        Path gone = root.resolve("not-mounted");
        var store = new FilesystemBlobStore(gone);
        ObjectId id = ObjectId.random();

        var e = assertThrows(StorageUnavailableException.class, store::checkAvailable);
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        // A lost mount is the operator's problem, never a missing blob.
        assertThrows(StorageUnavailableException.class, () -> store.size(id));
        assertThrows(StorageUnavailableException.class, () -> store.open(id, 0, -1));
        assertThrows(StorageUnavailableException.class, () -> store.openTail(UUID.randomUUID()));
        assertThrows(StorageUnavailableException.class, () -> store.put(id, new ByteArrayInputStream(CONTENT), CONTENT.length));
        assertThrows(StorageUnavailableException.class, () -> store.beginMultipart(id));
        assertThrows(StorageUnavailableException.class, () -> store.delete(id));
        assertFalse(Files.exists(gone));
    }

    @Test
    void rootThatIsAFileIsUnavailable() throws IOException {
        Path file = Files.write(root.resolve("a-file"), CONTENT);
        assertThrows(StorageUnavailableException.class, new FilesystemBlobStore(file)::checkAvailable);
        Files.delete(file);
    }

    @Test
    void transferToSendsTheRangeThroughAChannel() throws IOException {
        byte[] bytes = randomBytes(100_000, 51);
        ObjectId id = put(bytes);
        Path target = root.resolve("sent-" + UUID.randomUUID());
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertEquals(50_000, fs().transferTo(id, 1000, 50_000, out));
            assertEquals(1000, fs().transferTo(id, 99_000, 5000, out));
        }
        byte[] sent = Files.readAllBytes(target);
        Files.delete(target);
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 1000, 51_000), java.util.Arrays.copyOfRange(sent, 0, 50_000));
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 99_000, 100_000), java.util.Arrays.copyOfRange(sent, 50_000, 51_000));
        assertThrows(BlobNotFoundException.class, () -> fs().transferTo(ObjectId.random(), 0, -1, null));
        assertThrows(IllegalArgumentException.class, () -> fs().transferTo(id, 100_000, 1, null));
    }

    @Test
    void completionThatCrashedBeforeRemovingTheUploadCanBeRepeated() throws IOException {
        byte[] bytes = randomBytes(1000, 52);
        ObjectId id = newBlob();
        String upload = store().beginMultipart(id);
        CompletedPart part = store().writePart(id, upload, 1, bytes, bytes.length);
        Path dir = root.resolve("multipart").resolve(id + "." + upload);
        Path saved = root.resolve("saved-" + UUID.randomUUID());
        Files.createDirectory(saved);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, saved.resolve(f.getFileName()));
            }
        }
        store().completeMultipart(id, upload, List.of(part));
        // As if the process died after publishing the blob but before removing the upload.
        Files.move(saved, dir);

        reopen().completeMultipart(id, upload, List.of(part));
        try (InputStream in = store().open(id, 0, -1)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void hasNoUrls() {
        assertTrue(store().redirect(ObjectId.random(), Duration.ofMinutes(1)).isEmpty());
    }

    @Test
    void configurationChoosesTheBackend() {
        assertInstanceOf(FilesystemBlobStore.class, StorageProducer.create(config(StorageConfig.Kind.FILESYSTEM, root.toString()), null));
        assertEquals(root.toAbsolutePath().toString(),
                StorageProducer.create(config(StorageConfig.Kind.FILESYSTEM, root.toString()), null).bucket());
        assertInstanceOf(S3BlobStore.class, StorageProducer.create(config(StorageConfig.Kind.S3, null), null));
        var e = assertThrows(IllegalStateException.class, () -> StorageProducer.create(config(StorageConfig.Kind.FILESYSTEM, null), null));
        assertTrue(e.getMessage().contains("berth.storage.filesystem.root"), e.getMessage());
    }

    private static final byte[] CONTENT = "some blob bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static StorageConfig config(StorageConfig.Kind kind, String fsRoot) {
        return new StorageConfig() {
            public Kind kind() { return kind; }
            public String endpoint() { return "http://127.0.0.1:9000"; }
            public String accessKey() { return "berth"; }
            public String secretKey() { return "berth-local-secret"; }
            public String bucket() { return "berth-test"; }
            public String region() { return "us-east-1"; }
            public Filesystem filesystem() { return () -> Optional.ofNullable(fsRoot); }
            public boolean directRelay() { return true; }
        };
    }
}
