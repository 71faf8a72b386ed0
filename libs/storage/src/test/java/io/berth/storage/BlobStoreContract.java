package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link BlobStore} must do, whatever holds the bytes: S3 ({@link S3BlobStoreTest}), a
 * directory ({@link FilesystemBlobStoreTest}) and the heap ({@link InMemoryBlobStoreTest}) pass
 * the same cases, as distribution's storage driver test suite does for its drivers. An
 * implementation's test extends this and supplies a store on a scratch bucket or directory, and a
 * second instance on the same bytes. Every object a test creates is removed afterwards.
 */
abstract class BlobStoreContract {

    static final int MIB = 1024 * 1024;

    private final BlobStore store = newStore();
    private final List<ObjectId> blobs = new ArrayList<>();
    private final List<UUID> tails = new ArrayList<>();
    private final Map<ObjectId, String> uploads = new LinkedHashMap<>();

    /** A store on a bucket that tests may fill and empty. */
    protected abstract BlobStore newStore();

    /**
     * Another store on the same bytes, as a restarted process or a second replica sees them: a
     * new instance on the same bucket or root. (For the in-memory store, which has nothing that
     * outlives an instance, the same instance.)
     */
    protected abstract BlobStore reopen();

    /** The store every case uses. */
    protected final BlobStore store() {
        return store;
    }

    @AfterEach
    void removeEverythingCreated() {
        uploads.forEach(store::abortMultipart);
        blobs.forEach(store::delete);
        tails.forEach(store::deleteTail);
    }

    @Test
    void multipartUploadJoinsPartsIntoOneBlob() throws Exception {
        byte[] first = randomBytes(5 * MIB, 1);
        byte[] second = randomBytes(MIB, 2);
        ObjectId id = newBlob();
        String upload = begin(id);

        CompletedPart p1 = store.writePart(id, upload, 1, first, first.length);
        CompletedPart p2 = store.writePart(id, upload, 2, second, second.length);
        assertEquals(1, p1.number());
        assertEquals(5L * MIB, p1.length());
        assertFalse(p1.etag().isBlank());
        // Handed back out of order: the store sorts them.
        store.completeMultipart(id, upload, List.of(p2, p1));
        uploads.remove(id);

        assertEquals(6L * MIB, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(sha256(first, second), sha256(in));
        }
        // A range that straddles the boundary between the two parts.
        try (InputStream in = store.open(id, 5L * MIB - 50, 100)) {
            byte[] expected = new byte[100];
            System.arraycopy(first, first.length - 50, expected, 0, 50);
            System.arraycopy(second, 0, expected, 50, 50);
            assertArrayEquals(expected, in.readAllBytes());
        }
    }

    @Test
    void rangeReadsReturnExactlyTheRequestedBytes() throws IOException {
        byte[] bytes = randomBytes(4096, 3);
        ObjectId id = put(bytes);
        long size = store.size(id);

        try (InputStream in = store.open(id, 10, 100)) {
            assertArrayEquals(Arrays.copyOfRange(bytes, 10, 110), in.readAllBytes());
        }
        try (InputStream in = store.open(id, size - 5, -1)) {
            assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 5, bytes.length), in.readAllBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> store.open(id, size, -1));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, -1, 10));
    }

    @Test
    void abortedUploadLeavesNoBlobAndAbortingAgainIsFine() {
        ObjectId id = newBlob();
        String upload = begin(id);
        byte[] part = randomBytes(MIB, 4);
        CompletedPart p1 = store.writePart(id, upload, 1, part, part.length);

        store.abortMultipart(id, upload);
        uploads.remove(id);

        assertThrows(BlobNotFoundException.class, () -> store.size(id));
        assertDoesNotThrow(() -> store.abortMultipart(id, upload));
        var e = assertThrows(BlobNotFoundException.class, () -> store.completeMultipart(id, upload, List.of(p1)));
        assertEquals(id, e.objectId().orElseThrow());
    }

    @Test
    void putThenReadThenDelete() throws IOException {
        byte[] bytes = randomBytes(1000, 5);
        ObjectId id = put(bytes);

        assertEquals(1000, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        store.delete(id);
        var e = assertThrows(BlobNotFoundException.class, () -> store.size(id));
        assertEquals(id, e.objectId().orElseThrow());
        assertThrows(BlobNotFoundException.class, () -> store.open(id, 0, -1));
        assertDoesNotThrow(() -> store.delete(id));
    }

    @Test
    void deleteAllRemovesEveryBlobAndTakesMissingOnesAsGone() {
        List<ObjectId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(put(randomBytes(100 + i, 40 + i)));
        }
        ObjectId kept = put(randomBytes(50, 49));
        ids.add(ObjectId.random()); // never stored

        assertEquals(List.of(), store.deleteAll(ids));

        for (ObjectId id : ids) {
            assertThrows(BlobNotFoundException.class, () -> store.size(id));
        }
        assertEquals(50, store.size(kept), "only the ids given are deleted");
        assertEquals(List.of(), store.deleteAll(ids), "again: nothing left to refuse");
        assertEquals(List.of(), store.deleteAll(List.of()));
        store.delete(kept);
    }

    @Test
    void emptyBlobHasSizeZeroAndReadsEmpty() throws IOException {
        ObjectId id = put(new byte[0]);

        assertEquals(0, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertEquals(0, in.readAllBytes().length);
        }
    }

    @Test
    void putReadsExactlyTheAnnouncedLength() throws IOException {
        byte[] bytes = randomBytes(300, 6);
        ObjectId id = newBlob();

        store.put(id, new ByteArrayInputStream(bytes), 200);

        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(Arrays.copyOf(bytes, 200), in.readAllBytes());
        }
    }

    @Test
    void arrayPutWritesTheFirstBytesAndReplacesWhatWasThere() throws IOException {
        ObjectId id = newBlob();
        byte[] first = randomBytes(3000, 21);
        store.put(id, first, 1000);
        assertEquals(1000, store.size(id));
        byte[] second = randomBytes(2000, 22);
        store.put(id, second, 2000);
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(second, in.readAllBytes());
        }
        assertThrows(IndexOutOfBoundsException.class, () -> store.put(id, new byte[10], 11));
    }

    @Test
    void streamEndingEarlyIsTheCallersErrorAndWritesNothing() {
        ObjectId id = newBlob();
        assertThrows(UncheckedIOException.class,
                () -> store.put(id, new ByteArrayInputStream(new byte[10]), 11));
        assertThrows(BlobNotFoundException.class, () -> store.size(id));
    }

    @Test
    void partBelowMinimumSizeIsRejectedAtCompletionUnlessLastOrTheStoreTakesSmallParts() throws Exception {
        ObjectId id = newBlob();
        String upload = begin(id);
        byte[] small = randomBytes(1000, 10);
        // Each write succeeds: only completion knows which part is the last one.
        CompletedPart p1 = store.writePart(id, upload, 1, small, small.length);
        CompletedPart p2 = store.writePart(id, upload, 2, small, small.length);

        assertThrows(IllegalArgumentException.class, () -> store.completeMultipart(id, upload, List.of(p1, p1)));
        if (!store.takesSmallParts()) {
            assertThrows(IllegalArgumentException.class, () -> store.completeMultipart(id, upload, List.of(p1, p2)));
            assertThrows(BlobNotFoundException.class, () -> store.size(id));
            return;
        }
        store.completeMultipart(id, upload, List.of(p1, p2));
        uploads.remove(id);
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(sha256(small, small), sha256(in));
        }
    }

    @Test
    void writePartRejectsArgumentsOutOfRange() {
        ObjectId id = newBlob();
        String upload = begin(id);
        byte[] none = new byte[0];
        assertThrows(IllegalArgumentException.class, () -> store.writePart(id, upload, 0, none, 0));
        assertThrows(IllegalArgumentException.class,
                () -> store.writePart(id, upload, BlobStore.MAX_PARTS + 1, none, 0));
        assertThrows(IllegalArgumentException.class,
                () -> store.writePart(id, upload, 1, none, (int) BlobStore.MAX_PART_SIZE + 1));
        // More than the array holds.
        assertThrows(IllegalArgumentException.class, () -> store.writePart(id, upload, 1, new byte[10], 11));
        assertThrows(IllegalArgumentException.class, () -> store.completeMultipart(id, upload, List.of()));
    }

    @Test
    void tailsArePutOpenedAndDeleted() throws IOException {
        UUID upload = newTail();
        byte[] bytes = randomBytes(1000, 7);

        store.putTail(upload, bytes, 0, bytes.length);
        try (InputStream in = store.openTail(upload)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        // Replacing it with a slice from the middle of a buffer.
        store.putTail(upload, bytes, 100, 50);
        try (InputStream in = store.openTail(upload)) {
            assertArrayEquals(Arrays.copyOfRange(bytes, 100, 150), in.readAllBytes());
        }

        store.deleteTail(upload);
        var e = assertThrows(BlobNotFoundException.class, () -> store.openTail(upload));
        assertEquals(ObjectKeys.tail(upload), e.key());
        assertDoesNotThrow(() -> store.deleteTail(upload));
        assertThrows(IndexOutOfBoundsException.class, () -> store.putTail(upload, bytes, 990, 11));
    }

    @Test
    void aRedirectIsEitherAbsentOrAUrlThatServesTheBlob() throws Exception {
        byte[] bytes = randomBytes(2048, 8);
        ObjectId id = put(bytes);

        var redirect = store.redirect(id, Duration.ofMinutes(5));
        if (redirect.isPresent()) {
            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(redirect.get()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(bytes, response.body());
        }
    }

    @Test
    void receiveStoresTheBodyAndShowsTheObserverEveryByteInOrder() throws Exception {
        byte[] bytes = randomBytes(3 * MIB + 17, 10);
        ObjectId id = newBlob();
        MessageDigest seen = MessageDigest.getInstance("SHA-256");

        long received = store.receive(id, ByteSource.of(bytes), bytes.length, seen::update);

        assertEquals(bytes.length, received);
        assertArrayEquals(sha256(bytes), seen.digest());
        assertEquals(bytes.length, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(sha256(bytes), sha256(in));
        }
    }

    @Test
    void aBodyOfAnotherLengthThanAnnouncedIsCountedAndNotStored() throws Exception {
        byte[] bytes = randomBytes(100_000, 13);
        ObjectId shorter = newBlob();
        ObjectId longer = newBlob();

        assertEquals(bytes.length, store.receive(shorter, ByteSource.of(bytes), bytes.length + 1, b -> { }));
        assertEquals(bytes.length, store.receive(longer, ByteSource.of(bytes), bytes.length - 1, b -> { }));

        assertThrows(BlobNotFoundException.class, () -> store.size(shorter));
        assertThrows(BlobNotFoundException.class, () -> store.size(longer));
    }

    @Test
    void sendStreamsARangeOnlyAsFastAsTheSinkTakesIt() throws Exception {
        byte[] bytes = randomBytes(MIB + 5, 14);
        ObjectId id = put(bytes);
        var sink = new SlowSink();

        var done = store.send(id, 1000, bytes.length - 2000, sink).toCompletableFuture();
        sink.releaseAll(done);

        done.get(60, TimeUnit.SECONDS);
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, bytes.length - 1000), sink.bytes.toByteArray());
        assertTrue(sink.ended);
        assertEquals(1, sink.mostOutstanding, "a piece was written before the sink asked for it");
    }

    @Test
    void sendOfAMissingBlobFailsWithNothingWritten() throws Exception {
        var sink = new SlowSink();

        var failure = assertThrows(ExecutionException.class,
                () -> store.send(ObjectId.random(), 0, -1, sink).toCompletableFuture().get(30, TimeUnit.SECONDS));

        assertInstanceOf(BlobNotFoundException.class, failure.getCause());
        assertEquals(0, sink.bytes.size());
        assertFalse(sink.ended);
    }

    @Test
    void listPagesTheBlobsOfAPrefixInIdOrder() {
        String prefix = UUID.randomUUID().toString().substring(0, 8);
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectId id = new ObjectId(UUID.fromString(prefix + "-0000-4000-8000-00000000000" + i));
            store.put(id, new byte[i + 1], i + 1);
            blobs.add(id);
            ids.add(id);
        }

        BlobPage first = store.list(prefix, null, 2);
        assertEquals(ids.subList(0, 2), first.blobs().stream().map(ListedBlob::id).toList());
        assertEquals(2, first.blobs().get(1).size());
        BlobPage second = store.list(prefix, first.next().orElseThrow(), 2);
        assertEquals(ids.subList(2, 3), second.blobs().stream().map(ListedBlob::id).toList());
        assertTrue(second.next().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.list(prefix, null, 0));
    }

    /**
     * A sink that takes each piece only when the test lets it, counting how many pieces were
     * written without being taken yet.
     */
    private static final class SlowSink implements ByteSink {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final java.util.concurrent.BlockingQueue<CompletableFuture<Void>> pending = new java.util.concurrent.LinkedBlockingQueue<>();
        int outstanding;
        int mostOutstanding;
        volatile boolean ended;

        @Override
        public synchronized CompletionStage<Void> write(ByteBuffer piece) {
            byte[] copy = new byte[piece.remaining()];
            piece.get(copy);
            bytes.writeBytes(copy);
            mostOutstanding = Math.max(mostOutstanding, ++outstanding);
            var ready = new CompletableFuture<Void>();
            pending.add(ready);
            return ready;
        }

        synchronized void taken() {
            outstanding--;
        }

        @Override
        public CompletionStage<Void> end() {
            ended = true;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void abort(Throwable cause) {
        }

        /**
         * Lets each piece through, one at a time, until the transfer is done. Each is held a
         * little first, so a producer that does not wait for the sink has the time to run ahead
         * and be caught (one that waits can never be, however long this takes).
         */
        void releaseAll(CompletableFuture<Void> done) throws InterruptedException {
            while (!done.isDone()) {
                var next = pending.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    Thread.sleep(50);
                    taken();
                    next.complete(null);
                }
            }
        }
    }

    @Test
    void copiedPartJoinsWrittenPartsAndItsSourceStaysUntilCompletion() throws Exception {
        // The blob's own object becomes part 1 of a multipart upload of that same blob.
        byte[] first = randomBytes(5 * MIB + 3, 11);
        byte[] second = randomBytes(1000, 12);
        ObjectId id = put(first);
        String upload = begin(id);

        CompletedPart p1 = store.copyPart(id, upload, 1, id, first.length);
        CompletedPart p2 = store.writePart(id, upload, 2, second, second.length);
        assertEquals(first.length, p1.length());
        assertFalse(p1.etag().isBlank());
        assertEquals(first.length, store.size(id));

        store.completeMultipart(id, upload, List.of(p1, p2));
        uploads.remove(id);
        assertEquals(first.length + second.length, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(sha256(first, second), sha256(in));
        }
    }

    @Test
    void copyingAMissingBlobIsBlobNotFound() {
        ObjectId id = newBlob();
        ObjectId missing = ObjectId.random();
        String upload = begin(id);
        var e = assertThrows(BlobNotFoundException.class, () -> store.copyPart(id, upload, 1, missing, MIB));
        assertEquals(missing, e.objectId().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> store.copyPart(id, upload, 0, id, MIB));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void largePutStreamsFromAnUnboundedSource() throws Exception {
        long size = 64L * MIB;
        ObjectId id = newBlob();
        MessageDigest written = MessageDigest.getInstance("SHA-256");

        // Generated as it is read: no array ever holds the blob, on the test's side either.
        store.put(id, new DigestInputStream(new GeneratedStream(size, 9), written), size);

        assertEquals(size, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(written.digest(), sha256(in));
        }
    }

    @Test
    void multipartUploadSurvivesARestartAndAnotherInstanceCompletesIt() throws Exception {
        byte[] first = randomBytes(5 * MIB, 31);
        byte[] second = randomBytes(1000, 32);
        ObjectId id = newBlob();
        String upload = begin(id);
        CompletedPart p1 = store.writePart(id, upload, 1, first, first.length);

        // Nothing of the upload lives in the first instance: a new one continues and completes it.
        BlobStore restarted = reopen();
        CompletedPart p2 = restarted.writePart(id, upload, 2, second, second.length);
        restarted.completeMultipart(id, upload, List.of(p1, p2));
        uploads.remove(id);

        assertEquals(first.length + second.length, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(sha256(first, second), sha256(in));
        }
    }

    @Test
    void rewrittenPartReplacesTheOldOneWhoseEtagNoLongerCompletes() throws IOException {
        ObjectId id = newBlob();
        String upload = begin(id);
        CompletedPart old = store.writePart(id, upload, 1, randomBytes(100, 33), 100);
        byte[] replacement = randomBytes(200, 34);
        CompletedPart current = store.writePart(id, upload, 1, replacement, replacement.length);

        assertThrows(IllegalArgumentException.class, () -> store.completeMultipart(id, upload,
                List.of(new CompletedPart(1, "0123456789abcdef", 100))));
        store.completeMultipart(id, upload, List.of(current));
        uploads.remove(id);
        assertEquals(200, store.size(id));
        try (InputStream in = store.open(id, 0, -1)) {
            assertArrayEquals(replacement, in.readAllBytes());
        }
        assertFalse(old.etag().equals(current.etag()));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void deleteRacingAPublishOfTheSameObjectLeavesTheWholeBlobOrNone() throws Exception {
        byte[] a = randomBytes(256 * 1024, 41);
        byte[] b = randomBytes(256 * 1024 + 7, 42);
        ObjectId id = newBlob();
        BlobStore replica = reopen();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 20; round++) {
                byte[] bytes = round % 2 == 0 ? a : b;
                var start = new CyclicBarrier(3);
                Future<?> publish = pool.submit(() -> {
                    start.await();
                    store.put(id, new ByteArrayInputStream(bytes), bytes.length);
                    return null;
                });
                Future<?> delete = pool.submit(() -> {
                    start.await();
                    replica.delete(id);
                    return null;
                });
                Future<byte[]> read = pool.submit(() -> {
                    start.await();
                    return readWholeOrNull(replica, id);
                });
                publish.get();
                delete.get();
                assertWholeOrNone(read.get(), a, b);
                // Once both are done, the blob is either whole or gone, for every instance.
                assertWholeOrNone(readWholeOrNull(store, id), a, b);
                assertWholeOrNone(readWholeOrNull(replica, id), a, b);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readerKeepsTheBytesItOpenedWhenTheBlobIsDeleted() throws IOException {
        byte[] bytes = randomBytes(300 * 1024, 43);
        ObjectId id = put(bytes);
        try (InputStream in = store.open(id, 0, -1)) {
            byte[] head = in.readNBytes(1000);
            reopen().delete(id);
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            assertArrayEquals(bytes, all);
        }
        assertThrows(BlobNotFoundException.class, () -> store.size(id));
    }

    @Test
    void rangeReadsAtTheEdges() throws IOException {
        byte[] bytes = randomBytes(1000, 44);
        ObjectId id = put(bytes);

        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 1), read(id, 0, 1));
        assertArrayEquals(Arrays.copyOfRange(bytes, 999, 1000), read(id, 999, 1));
        assertArrayEquals(Arrays.copyOfRange(bytes, 999, 1000), read(id, 999, -1));
        assertArrayEquals(bytes, read(id, 0, 1000));
        // A range that runs past the end stops there.
        assertArrayEquals(Arrays.copyOfRange(bytes, 990, 1000), read(id, 990, 100));
        assertArrayEquals(bytes, read(id, 0, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, 1001, -1));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, Long.MAX_VALUE, 1));

        ObjectId empty = put(new byte[0]);
        assertArrayEquals(new byte[0], read(empty, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> store.open(empty, 0, 1));
    }

    @Test
    void missingObjectsAreBlobNotFound() {
        ObjectId missing = ObjectId.random();
        assertEquals(missing, assertThrows(BlobNotFoundException.class, () -> store.size(missing)).objectId().orElseThrow());
        assertEquals(missing, assertThrows(BlobNotFoundException.class, () -> store.open(missing, 0, -1)).objectId().orElseThrow());
        assertThrows(BlobNotFoundException.class, () -> store.open(missing, 10, 5));
        UUID noTail = UUID.randomUUID();
        assertEquals(ObjectKeys.tail(noTail), assertThrows(BlobNotFoundException.class, () -> store.openTail(noTail)).key());
        assertDoesNotThrow(() -> store.delete(missing));
        assertDoesNotThrow(() -> store.deleteTail(noTail));

        // A multipart upload that was never begun.
        String neverBegun = UUID.randomUUID().toString();
        var e = assertThrows(BlobNotFoundException.class, () -> store.completeMultipart(missing, neverBegun,
                List.of(new CompletedPart(1, "0123456789abcdef", 10))));
        assertEquals(missing, e.objectId().orElseThrow());
        assertDoesNotThrow(() -> store.abortMultipart(missing, neverBegun));
    }

    @Test
    void badArgumentsAreRejectedAndWriteNothing() {
        ObjectId id = newBlob();
        UUID tail = newTail();
        String upload = begin(id);

        assertThrows(IllegalArgumentException.class, () -> store.put(id, new ByteArrayInputStream(new byte[1]), -1));
        assertThrows(IndexOutOfBoundsException.class, () -> store.put(id, new byte[10], -1));
        assertThrows(IndexOutOfBoundsException.class, () -> store.putTail(tail, new byte[10], -1, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> store.putTail(tail, new byte[10], 5, 6));
        assertThrows(IllegalArgumentException.class, () -> store.writePart(id, upload, 1, new byte[10], -1));
        assertThrows(IllegalArgumentException.class, () -> store.copyPart(id, upload, 1, id, -1));
        assertThrows(IllegalArgumentException.class, () -> store.copyPart(id, upload, 1, id, BlobStore.MAX_PUT_SIZE + 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.copyPart(id, upload, BlobStore.MAX_PARTS + 1, id, 10));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, -5, -1));
        assertThrows(IllegalArgumentException.class, () -> store.open(id, 0, -2));
        assertThrows(NullPointerException.class, () -> store.size(null));
        assertThrows(NullPointerException.class, () -> store.put(id, (InputStream) null, 1));

        assertThrows(BlobNotFoundException.class, () -> store.size(id));
        assertThrows(BlobNotFoundException.class, () -> store.openTail(tail));
    }

    /** A fresh object id, deleted after the test. */
    protected final ObjectId newBlob() {
        ObjectId id = ObjectId.random();
        blobs.add(id);
        return id;
    }

    private UUID newTail() {
        UUID id = UUID.randomUUID();
        tails.add(id);
        return id;
    }

    private String begin(ObjectId id) {
        String upload = store.beginMultipart(id);
        uploads.put(id, upload);
        return upload;
    }

    /** A new blob holding {@code bytes}, deleted after the test. */
    protected final ObjectId put(byte[] bytes) {
        ObjectId id = newBlob();
        store.put(id, new ByteArrayInputStream(bytes), bytes.length);
        return id;
    }

    private byte[] read(ObjectId id, long offset, long length) throws IOException {
        try (InputStream in = store.open(id, offset, length)) {
            return in.readAllBytes();
        }
    }

    /** The whole blob as {@code reader} sees it now, or null if it does not exist. */
    private static byte[] readWholeOrNull(BlobStore reader, ObjectId id) throws IOException {
        try (InputStream in = reader.open(id, 0, -1)) {
            return in.readAllBytes();
        } catch (BlobNotFoundException gone) {
            return null;
        }
    }

    private static void assertWholeOrNone(byte[] seen, byte[] a, byte[] b) {
        if (seen != null && !Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
            throw new AssertionError("a reader saw " + seen.length + " bytes that are neither whole version ("
                    + a.length + " or " + b.length + " bytes)");
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(byte[]... chunks) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] chunk : chunks) {
            digest.update(chunk);
        }
        return digest.digest();
    }

    static byte[] sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    /** {@code size} pseudo-random bytes, made as they are read. */
    private static final class GeneratedStream extends InputStream {

        private final Random random;
        private long remaining;

        GeneratedStream(long size, long seed) {
            this.random = new Random(seed);
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), 64 * 1024);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            remaining -= n;
            return n;
        }
    }
}
