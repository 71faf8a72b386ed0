package io.berth.registry.service;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.registry.metadata.StoredBlob;
import io.berth.registry.metadata.UploadRepository;
import io.berth.registry.metadata.UploadSession;
import io.berth.storage.BlobStore;
import io.berth.storage.CompletedPart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams one request's bytes into an upload session (ADR 0007): a part-size buffer is filled
 * from the session's tail, then from the request; each full buffer becomes the next multipart part
 * and the session row is advanced right away; at the end the leftover becomes the new tail (PATCH)
 * or the last part (PUT). On a store that {@link BlobStore#takesSmallParts} (the filesystem), a
 * PATCH's leftover becomes a part at once, so no byte is stored twice (ADR 0024). Memory is at most two part buffers ({@link #memoryFor}), whatever the
 * body's size.
 *
 * <p>Every state the row records is durable before it is recorded, and the tail object always
 * starts with the row's {@code tail_bytes} bytes (only that prefix is ever read). Until the first
 * part the tail object is the blob's own object; after it, {@code uploads/<id>/tail}. A tail
 * bigger than a part is a whole body that one PUT stored ({@code UploadService#putWhole}): it is
 * never read into memory; if more bytes follow, the store copies it into part 1
 * ({@link #promoteWholeObject}). So a request that
 * fails at any point leaves the session at its last recorded state, which the client can resume
 * from. The running digest is fed only with recorded bytes, so it stays in step with the row.
 *
 * <p>Parts are pipelined: while one part uploads, the next is read from the request into a
 * second buffer, so receiving and storing overlap (at most one part in flight). A part is
 * recorded, and its bytes hashed, only once its upload has succeeded.
 *
 * <p>One instance per request, used under the session's {@link UploadLocks} lock.
 */
final class ChunkWriter {

    /**
     * Threads that store parts. Each writer has at most one part in flight, and the writers are
     * bounded by {@link UploadBudget} (two part buffers each), so this many threads are busy only
     * when that many uploads stream parts at once; beyond it a part waits in the queue for a
     * thread, holding the buffer its writer already reserved, and the request reads on meanwhile.
     */
    static final int PART_UPLOAD_THREADS = 32;

    // Part uploads block on the object store; they run here so the request thread keeps reading.
    private static final ThreadPoolExecutor PART_UPLOADS;

    static {
        AtomicInteger count = new AtomicInteger();
        PART_UPLOADS = new ThreadPoolExecutor(PART_UPLOAD_THREADS, PART_UPLOAD_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "berth-part-upload-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        PART_UPLOADS.allowCoreThreadTimeOut(true);
    }

    /** Parts double in size every this many parts, so that 10,000 parts reach far. */
    private static final int PARTS_PER_SIZE_STEP = 1000;

    /**
     * On a store that {@link BlobStore#takesSmallParts}, a PATCH's leftover becomes a part of its
     * own while the upload has fewer parts than this; past it (a client sending thousands of tiny
     * chunks), leftovers wait in the tail as on S3, so the part count never runs out.
     */
    static final int SMALL_PARTS_LIMIT = BlobStore.MAX_PARTS / 2;

    private final BlobStore store;
    private final UploadRepository uploads;
    private final int basePartSize;
    private RunningDigests.Running running;
    private UploadSession session;
    private byte[] buffer;
    private int fill;
    // buffer[0, hashed) is already in the running digest (the old tail, or bytes now in the tail)
    private int hashed;
    private boolean tailStale;
    private boolean tailLoaded;
    // The part being uploaded, its buffer and how much of that buffer was already hashed.
    private Future<CompletedPart> inFlight;
    private byte[] inFlightBuffer;
    private int inFlightLength;
    private int inFlightHashed;
    private byte[] spare;

    ChunkWriter(BlobStore store, UploadRepository uploads, int basePartSize, UploadSession session,
            RunningDigests.Running running, long sizeHint) {
        this.store = store;
        this.uploads = uploads;
        this.basePartSize = basePartSize;
        this.session = session;
        this.running = running;
        int partSize = partSize(session.parts().size() + 1);
        if (holdsWholeObject(basePartSize, session.parts().size(), session.tailBytes())) {
            // After the promotion to part 1, the buffer takes what follows.
            this.buffer = new byte[(int) (sizeHint < 0 ? partSize : Math.min(partSize, sizeHint))];
        } else {
            long wanted = sizeHint < 0 ? partSize : Math.min(partSize, session.tailBytes() + sizeHint);
            this.buffer = new byte[(int) Math.max(wanted, session.tailBytes())];
        }
        this.tailLoaded = session.tailBytes() == 0;
    }

    /** Whether the session's tail is a whole body stored by one PUT, too big to be read into memory. */
    private static boolean holdsWholeObject(int basePartSize, int parts, long tailBytes) {
        return parts == 0 && tailBytes > partSize(basePartSize, 1);
    }

    /**
     * Reads the recorded tail into the buffer, once: only when bytes are appended after it or it
     * must be stored again. A commit of a blob already in place never reads it.
     */
    private void loadTail() {
        if (!tailLoaded && holdsWholeObject(basePartSize, session.parts().size(), session.tailBytes())) {
            promoteWholeObject();
            tailLoaded = true;
        }
        if (!tailLoaded && takesSmallParts() && session.parts().isEmpty()
                && store.size(session.objectId()) == session.tailBytes()) {
            // The tail is the blob's own object and the store takes parts of any size: it becomes
            // part 1 inside the store (a filesystem copies it once), and nothing is read back or
            // written again. An object longer than the recorded tail (a request that failed after
            // writing it) is read below instead, only its recorded prefix.
            promoteWholeObject();
            tailLoaded = true;
        }
        if (!tailLoaded) {
            try (InputStream tail = session.parts().isEmpty()
                    ? store.open(session.objectId(), 0, session.tailBytes())
                    : store.openTail(session.id())) {
                fill = tail.readNBytes(buffer, 0, session.tailBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("reading the tail of upload " + session.id() + " failed", e);
            }
            if (fill != session.tailBytes()) {
                throw RegistryException.of(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                        Map.of("reason", "the stored tail of this upload is incomplete; start the upload again"));
            }
            hashed = fill;
            tailLoaded = true;
        }
    }

    /**
     * Makes the session's object, a whole body stored by one PUT, part 1 of a multipart upload of
     * that same object, inside the store: the bytes that follow become part 2 on, and nothing is
     * read back. Each step is recorded before the next, so a request that fails half-way leaves a
     * session the next request continues from (or a commit aborts).
     */
    private void promoteWholeObject() {
        var id = session.objectId();
        if (session.s3UploadId() == null) {
            record(session.withProgress(store.beginMultipart(id), session.parts(),
                    session.receivedBytes(), session.tailBytes()));
        }
        CompletedPart first = store.copyPart(id, session.s3UploadId(), 1, id, session.tailBytes());
        record(session.withProgress(session.s3UploadId(), List.of(first), session.receivedBytes(), 0));
        fill = 0;
        hashed = 0;
    }

    /**
     * The heap a writer holds for a session with {@code parts} parts and a tail of
     * {@code tailBytes} while it takes a body of {@code sizeHint}
     * bytes (-1: unknown): its buffer, and a second one when the body spans parts (one part is
     * uploaded while the next is read).
     */
    static long memoryFor(int basePartSize, int parts, long tailBytes, long sizeHint) {
        long partSize = partSize(basePartSize, parts + 1);
        if (holdsWholeObject(basePartSize, parts, tailBytes)) {
            // Never read: only what follows it needs buffers.
            return sizeHint == 0 ? 0 : 2 * partSize;
        }
        if (sizeHint < 0 || tailBytes + sizeHint > partSize) {
            return 2 * partSize;
        }
        return tailBytes + sizeHint;
    }

    /** The bytes the writer holds in its buffer now (for tests of its memory use). */
    int bufferCapacity() {
        return buffer.length;
    }

    /** The session as last recorded. */
    UploadSession session() {
        return session;
    }

    /**
     * Appends everything {@code in} yields, writing and recording each full part on the way.
     *
     * @return how many bytes were read
     * @throws IOException if reading the request fails (the session stays at its last recorded state)
     */
    long append(InputStream in) throws IOException {
        loadTail();
        try {
            return read(in);
        } catch (IOException | RuntimeException e) {
            // Keep what was stored: the part in flight is recorded if its upload succeeded.
            try {
                awaitInFlight();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private long read(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            if (fill == buffer.length) {
                int partSize = partSize(session.parts().size() + 1);
                if (buffer.length < partSize) {
                    // A buffer sized to the announced length is full when the body ends: look for
                    // the end before growing it to a whole part. Without this, every small PUT
                    // held a part buffer (8 MiB) beyond its reservation, and a hundred concurrent
                    // pushes exhausted the heap (./berth bench, push-100-tags-one-repo).
                    int next = in.read();
                    if (next < 0) {
                        return total;
                    }
                    buffer = Arrays.copyOf(buffer, partSize);
                    buffer[fill++] = (byte) next;
                    total++;
                    continue;
                } else {
                    flushPart();
                }
            }
            int n = in.read(buffer, fill, buffer.length - fill);
            if (n < 0) {
                return total;
            }
            fill += n;
            total += n;
        }
    }

    /**
     * Ends a PATCH: the leftover bytes become the session's tail. While no part exists the tail is
     * written as the blob's own object, so a blob smaller than a part (most configs and many
     * layers) is already in place when the PUT comes and its commit costs no storage call.
     */
    void keepTail() {
        awaitInFlight();
        if (fill == hashed) {
            // Nothing new since the last recorded state; a tail left over from before a flushed
            // part is ignored (tail_bytes is 0) but is removed so it does not linger.
            if (fill == 0 && tailStale) {
                store.deleteTail(session.id());
            }
            return;
        }
        if (!session.parts().isEmpty() && takesSmallParts()) {
            writeLeftoverAsPart();
            return;
        }
        if (session.parts().isEmpty()) {
            store.put(session.objectId(), buffer, fill);
        } else {
            store.putTail(session.id(), buffer, 0, fill);
        }
        record(session.withProgress(session.s3UploadId(), session.parts(), partsBytes() + fill, fill));
        feed(hashed, fill - hashed);
        hashed = fill;
    }

    /** Whether leftovers may become parts: the store takes small ones, and parts are not running out. */
    private boolean takesSmallParts() {
        return store.takesSmallParts() && session.parts().size() < SMALL_PARTS_LIMIT;
    }

    /**
     * Ends a PATCH on a store that takes small parts: the leftover is written once, as the next
     * part, instead of as a tail that the next PATCH would read back and write again whole.
     */
    private void writeLeftoverAsPart() {
        boolean hadTail = session.tailBytes() > 0;
        List<CompletedPart> parts = new ArrayList<>(session.parts());
        parts.add(store.writePart(session.objectId(), session.s3UploadId(), parts.size() + 1, buffer, fill));
        record(session.withProgress(session.s3UploadId(), parts, partsBytes() + fill, 0));
        feed(hashed, fill - hashed);
        fill = 0;
        hashed = 0;
        if (hadTail) {
            // A tail from before (written while parts were running out, or by an older replica).
            store.deleteTail(session.id());
        }
    }

    /**
     * Ends a PUT: the leftover bytes become the last part (or the whole object when no part was
     * ever written), the object is completed and its digest computed.
     *
     * @return the object as written, with the digest of its bytes in {@code algorithm}
     */
    StoredBlob complete(DigestAlgorithm algorithm) {
        awaitInFlight();
        var id = session.objectId();
        long size = partsBytes() + (tailLoaded ? fill : session.tailBytes());
        if (session.parts().isEmpty()) {
            if (session.s3UploadId() != null) {
                store.abortMultipart(id, session.s3UploadId());
            }
            // Nothing came since the recorded tail, which already is the object (keepTail). A
            // request that failed after writing it may have left a longer object, hence the check.
            // A whole body needs none: its object was new, and nothing writes it again.
            boolean inPlace = !tailLoaded && (holdsWholeObject(basePartSize, 0, session.tailBytes())
                    || store.size(id) == session.tailBytes());
            if (!inPlace) {
                loadTail();
                store.put(id, buffer, fill);
            }
        } else {
            loadTail();
            List<CompletedPart> parts = new ArrayList<>(session.parts());
            if (fill > 0) {
                parts.add(store.writePart(id, session.s3UploadId(), parts.size() + 1, buffer, fill));
            }
            store.completeMultipart(id, session.s3UploadId(), parts);
        }
        byte[] digest;
        if (running != null && running.algorithm == algorithm) {
            digest = running.finishCopy(buffer, hashed, fill - hashed);
        } else {
            digest = hashStored(algorithm, size);
        }
        return new StoredBlob(Digest.of(algorithm, digest), id, size);
    }

    /** Hashes the completed object from storage: the one read a commit without a running digest costs. */
    private byte[] hashStored(DigestAlgorithm algorithm, long size) {
        var md = algorithm.newMessageDigest();
        if (size == 0) {
            return md.digest();
        }
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = store.open(session.objectId(), 0, -1)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                md.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading back " + session.objectId() + " to verify its digest failed", e);
        }
        return md.digest();
    }

    private void flushPart() {
        awaitInFlight();
        var id = session.objectId();
        int number = session.parts().size() + 1;
        if (number > BlobStore.MAX_PARTS) {
            throw RegistryException.of(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the upload exceeds the largest blob berth accepts"));
        }
        if (session.s3UploadId() == null) {
            // Recorded before any part is written, so gc and DELETE can always abort it.
            record(session.withProgress(store.beginMultipart(id), session.parts(),
                    session.receivedBytes(), session.tailBytes()));
        }
        String uploadId = session.s3UploadId();
        byte[] part = buffer;
        int length = fill;
        inFlight = PART_UPLOADS.submit(
                () -> store.writePart(id, uploadId, number, part, length));
        inFlightBuffer = part;
        inFlightLength = length;
        inFlightHashed = hashed;
        tailStale = true;
        fill = 0;
        hashed = 0;
        int next = partSize(number + 1);
        buffer = spare != null && spare.length == next ? spare : new byte[next];
        spare = null;
    }

    /** Waits for the part in flight, then records it and hashes its bytes. */
    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        CompletedPart part;
        try {
            part = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a part of upload " + session.id() + " was stored", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("storing a part of upload " + session.id() + " failed", e.getCause());
        } finally {
            inFlight = null;
        }
        List<CompletedPart> parts = new ArrayList<>(session.parts());
        parts.add(part);
        record(session.withProgress(session.s3UploadId(), parts, partsBytes() + inFlightLength, 0));
        if (running != null) {
            running.update(inFlightBuffer, inFlightHashed, inFlightLength - inFlightHashed);
        }
        spare = inFlightBuffer;
        inFlightBuffer = null;
    }

    private void record(UploadSession next) {
        if (!uploads.advance(session, next)) {
            running = null;
            throw RegistryException.of(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the upload was changed or removed by a concurrent request"));
        }
        session = next;
    }

    private void feed(int offset, int length) {
        if (running != null) {
            running.update(buffer, offset, length);
        }
    }

    private long partsBytes() {
        return session.receivedBytes() - session.tailBytes();
    }

    private int partSize(int partNumber) {
        return partSize(basePartSize, partNumber);
    }

    private static int partSize(int basePartSize, int partNumber) {
        int steps = Math.min((partNumber - 1) / PARTS_PER_SIZE_STEP, 4);
        return (int) Math.min(BlobStore.MAX_PART_SIZE, (long) basePartSize << steps);
    }
}
