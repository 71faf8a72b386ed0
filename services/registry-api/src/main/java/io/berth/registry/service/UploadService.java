package io.berth.registry.service;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.Repository;
import io.berth.registry.metadata.RepositoryRepository;
import io.berth.registry.metadata.BlobRepository;
import io.berth.registry.metadata.StoredBlob;
import io.berth.registry.metadata.UploadRepository;
import io.berth.registry.metadata.UploadSession;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.ByteSource;
import io.berth.storage.ObjectId;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Blob uploads: sessions opened by POST, fed by PATCH, committed by PUT, and monolithic pushes.
 * A body that is the whole blob so far and announces its length (what docker, podman and skopeo
 * send) goes to the store in one streamed PUT, hashed on the way ({@link #putWhole}); other
 * bodies stream through {@link ChunkWriter}'s parts. A commit verifies the digest and then, in one
 * transaction under the project's usage lock ({@link ProjectPolicy}), records the blob, links it,
 * ends the session and counts it against the quota; a blob over the quota is refused (DENIED) and
 * discarded like one with a wrong digest. A digest already stored is
 * stored once: the new object is deleted and the existing one linked. Whatever fails, no
 * half-written blob becomes visible: the row is only written after the bytes are complete and
 * verified.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    /**
     * The largest body sent to the store in one PUT: S3's limit for one PUT, and what the int
     * column {@code uploads.tail_bytes} records. Larger bodies go in parts.
     */
    static final long MAX_WHOLE_BODY = Math.min(BlobStore.MAX_PUT_SIZE, Integer.MAX_VALUE);

    private final RepositoryRepository repositories;
    private final UploadRepository uploads;
    private final BlobRepository blobs;
    private final BlobStore store;
    private final RunningDigests digests;
    private final UploadLocks locks;
    private final UploadBudget budget;
    private final StoreCleanup cleanup;
    private final ProjectPolicy policy;
    private final int partSize;

    public UploadService(RepositoryRepository repositories, UploadRepository uploads, BlobRepository blobs,
            BlobStore store, RunningDigests digests, UploadLocks locks, UploadBudget budget, StoreCleanup cleanup,
            ProjectPolicy policy, RegistryConfig config) {
        this.repositories = repositories;
        this.uploads = uploads;
        this.blobs = blobs;
        this.store = store;
        this.digests = digests;
        this.locks = locks;
        this.budget = budget;
        this.cleanup = cleanup;
        this.policy = policy;
        this.partSize = config.uploads().partSize();
        if (partSize < BlobStore.MIN_PART_SIZE || partSize > BlobStore.MAX_PART_SIZE) {
            throw new IllegalStateException("berth.registry.uploads.part-size must be between "
                    + BlobStore.MIN_PART_SIZE + " and " + BlobStore.MAX_PART_SIZE + ", is " + partSize);
        }
    }

    /**
     * Opens a session, creating the repository on its first push.
     *
     * @throws RegistryException NAME_UNKNOWN if the repository's project does not exist
     */
    public UploadStatus start(RepositoryName name) {
        Repository repository = repositories.findOrCreate(name);
        UUID id = UUID.randomUUID();
        uploads.create(id, repository.id(), ObjectId.random());
        digests.start(id, DigestAlgorithm.SHA256);
        return new UploadStatus(name, id, 0);
    }

    /**
     * A monolithic push: the whole blob in one request whose digest is known up front, so the
     * running digest uses that algorithm. It still goes through a session row, which is what lets
     * gc find the multipart upload of a push that dies half-way.
     *
     * @param contentLength the announced length, or -1 if the body is chunked
     * @throws RegistryException DIGEST_INVALID if the bytes do not match, BLOB_UPLOAD_INVALID if
     *     the body is shorter than announced, NAME_UNKNOWN if the project does not exist, DENIED
     *     ({@link QuotaExceededException}) if the blob does not fit the project's quota
     */
    public StoredBlob uploadWhole(RepositoryName name, Digest digest, ByteSource body, long contentLength) {
        Repository repository = repositories.findOrCreate(name);
        boolean whole = sendsWhole(0, contentLength, contentLength);
        // Reserved before the session exists, so a refusal leaves nothing to clean up.
        try (var reserved = whole ? budget.reserve(UploadBudget.WHOLE_BODY_BYTES) : reserve(0, 0, contentLength)) {
            UUID id = UUID.randomUUID();
            UploadSession session = uploads.create(id, repository.id(), ObjectId.random());
            var running = digests.start(id, digest.algorithm());
            // Nobody knows this session's id: whatever fails, nothing could ever resume it.
            return locks.withLock(id, () -> {
                if (whole) {
                    UploadSession stored;
                    try {
                        stored = putWhole(session, body, contentLength, running);
                    } catch (RuntimeException e) {
                        discard(session);
                        throw e;
                    }
                    return finish(writer(stored, 0), digest);
                }
                var writer = new ChunkWriter(store, uploads, partSize, session, running, contentLength);
                try {
                    readBody(writer, body, contentLength, contentLength);
                } catch (RuntimeException e) {
                    discard(writer.session());
                    throw e;
                }
                return finish(writer, digest);
            });
        }
    }

    /**
     * Appends a PATCH body. With a {@code Content-Range}, the chunk must start where the session
     * ends. If the body fails or ends early, the parts written so far stay recorded (the client can
     * resume from the {@code Range} the status reports) and the rest is dropped.
     *
     * @throws RegistryException BLOB_UPLOAD_UNKNOWN, RANGE_INVALID ({@link UploadRangeException}),
     *     SIZE_INVALID when the body's length disagrees with Content-Range or Content-Length,
     *     BLOB_UPLOAD_INVALID when reading the body fails
     */
    public UploadStatus append(RepositoryName name, String uuid, ByteSource body, String contentRange,
            long contentLength) {
        return withBody(name, uuid, body, contentRange, contentLength, writer -> {
            writer.keepTail();
            return new UploadStatus(name, writer.session().id(), writer.session().receivedBytes());
        });
    }

    /**
     * Commits a session with {@code ?digest=}, after appending the body if there is one.
     *
     * @throws RegistryException DIGEST_INVALID if the digest is missing or malformed (the session
     *     stays) or does not match the bytes (the session and its bytes are discarded),
     *     BLOB_UPLOAD_UNKNOWN, RANGE_INVALID, BLOB_UPLOAD_INVALID; DENIED
     *     ({@link QuotaExceededException}) if the blob does not fit the project's quota (the
     *     session and its bytes are discarded)
     */
    public StoredBlob commit(RepositoryName name, String uuid, String digestParam, ByteSource body,
            String contentRange, long contentLength) {
        if (digestParam == null || digestParam.isBlank()) {
            throw RegistryException.of(RegistryErrorCode.DIGEST_INVALID,
                    Map.of("reason", "the digest query parameter is required to complete an upload"));
        }
        Digest digest = Digest.parse(digestParam);
        return withBody(name, uuid, body, contentRange, contentLength, writer -> finish(writer, digest));
    }

    /**
     * Under the session's lock: checks where the body belongs, reserves the memory it needs,
     * stores it after what is stored (whole, or through parts), then hands the writer to
     * {@code then}.
     */
    private <T> T withBody(RepositoryName name, String uuid, ByteSource body, String contentRange,
            long contentLength, Function<ChunkWriter, T> then) {
        ContentRange range = ContentRange.parse(contentRange);
        UUID id = parseId(uuid);
        Repository repository = repositories.find(name).orElseThrow(() -> unknownUpload(uuid));
        return locks.withLock(id, () -> {
            UploadSession session = find(id, repository, uuid);
            long expected = checkRange(name, session, range, contentLength);
            if (session.s3UploadId() == null && sendsWhole(session.receivedBytes(), contentLength, expected)) {
                UploadSession stored;
                try (var reserved = budget.reserve(UploadBudget.WHOLE_BODY_BYTES)) {
                    stored = putWhole(session, body, expected, digests.current(id, 0).orElseThrow());
                }
                return then.apply(writer(stored, 0));
            }
            try (var reserved = reserve(session.parts().size(), session.tailBytes(), expected)) {
                var writer = writer(session, expected);
                readBody(writer, body, contentLength, expected);
                return then.apply(writer);
            }
        });
    }

    /** The session's progress, for {@code GET .../uploads/<uuid>}. */
    public UploadStatus status(RepositoryName name, String uuid) {
        UUID id = parseId(uuid);
        Repository repository = repositories.find(name).orElseThrow(() -> unknownUpload(uuid));
        return new UploadStatus(name, id, find(id, repository, uuid).receivedBytes());
    }

    /** Aborts a session and frees its bytes. */
    public void cancel(RepositoryName name, String uuid) {
        UUID id = parseId(uuid);
        Repository repository = repositories.find(name).orElseThrow(() -> unknownUpload(uuid));
        locks.withLock(id, () -> {
            discard(find(id, repository, uuid));
            return null;
        });
    }

    /**
     * Whether a body goes to the store in one PUT: it must be all the upload will have so far
     * (nothing received before it), announce its length with Content-Length, and be bigger than
     * a part (a smaller one is one buffer, written as one PUT anyway) but within
     * {@link #MAX_WHOLE_BODY}.
     */
    private boolean sendsWhole(long receivedBytes, long contentLength, long expected) {
        return receivedBytes == 0 && contentLength >= 0 && expected == contentLength
                && expected > partSize && expected <= MAX_WHOLE_BODY;
    }

    /**
     * Has the store receive a whole body (S3: one streamed PUT), hashed on the way by {@code running},
     * and records it as the session's tail in place (ChunkWriter takes it from there). The bytes
     * go to a new object, which the session row takes over only if the row is still where this
     * request found it: a request that loses a race with another replica never overwrites the
     * winner's bytes, and deletes its own.
     *
     * @return the session as recorded
     * @throws RegistryException BLOB_UPLOAD_INVALID if the body fails or the session changed
     *     meanwhile, SIZE_INVALID if it ends at another length than announced
     */
    private UploadSession putWhole(UploadSession session, ByteSource body, long length, RunningDigests.Running running) {
        ObjectId target = ObjectId.random();
        long sent;
        try {
            sent = store.receive(target, body, length, running::update);
        } catch (IOException e) {
            digests.forget(session.id());
            LOG.debugf(e, "upload %s: reading the request body failed", session.id());
            throw new RegistryException(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the request body failed or ended early", "received", 0), e);
        } catch (RuntimeException e) {
            digests.forget(session.id());
            throw e;
        }
        if (sent != length) {
            digests.forget(session.id());
            throw RegistryException.of(RegistryErrorCode.SIZE_INVALID,
                    Map.of("reason", "the body has " + sent + " bytes, " + length + " were announced", "received", 0));
        }
        UploadSession next = session.withObject(target).withProgress(null, List.of(), length, (int) length);
        if (!uploads.advance(session, next)) {
            digests.forget(session.id());
            store.delete(target);
            throw RegistryException.of(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the upload was changed or removed by a concurrent request"));
        }
        // Whatever an earlier request of this session left in its first object goes.
        cleanup.deleteObject(session.objectId());
        return next;
    }

    private StoredBlob finish(ChunkWriter writer, Digest expected) {
        UploadSession session = writer.session();
        StoredBlob written;
        try {
            written = writer.complete(expected.algorithm());
        } catch (IllegalArgumentException | BlobNotFoundException e) {
            // The store refused the parts (a concurrent writer on another replica, a lost upload):
            // this session cannot complete any more.
            discard(session);
            throw new RegistryException(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the uploaded parts could not be assembled; start the upload again"), e);
        }
        if (!written.digest().equals(expected)) {
            discard(session);
            throw RegistryException.of(RegistryErrorCode.DIGEST_INVALID,
                    Map.of("expected", expected.toString(), "size", written.size()));
        }
        StoredBlob stored;
        try {
            stored = policy.recordingRefusals(() -> commitCounted(session, written));
        } catch (QuotaExceededException e) {
            // Nothing was committed: the session and its bytes go, as for a wrong digest.
            discard(session);
            throw e;
        }
        digests.forget(session.id());
        if (stored == null) {
            // Cancelled meanwhile (on another replica): the cancel cleaned up all but our object.
            store.delete(written.objectId());
            throw unknownUpload(session.id().toString());
        }
        if (!stored.objectId().equals(written.objectId())) {
            // The digest was stored before: this copy is garbage once the row is committed.
            cleanup.deleteObject(written.objectId());
        }
        if (!session.parts().isEmpty()) {
            // Only a session with parts keeps its tail apart from the object (ChunkWriter#keepTail).
            cleanup.deleteTail(session.id());
        }
        return stored;
    }

    /**
     * In one transaction under the project's usage lock: records and links the blob, ends the
     * session and counts the blob for the project if it did not hold it yet.
     *
     * @return the blob as stored, or null if the session (or its repository) is gone
     * @throws QuotaExceededException if the blob does not fit the project's quota
     */
    private StoredBlob commitCounted(UploadSession session, StoredBlob written) {
        Repository repository = repositories.find(session.repositoryId()).orElse(null);
        if (repository == null) {
            return null;
        }
        ProjectPolicy.Guard guard = policy.lock(repository.projectId());
        guard.measure(List.of(written.digest().toString()), List.of());
        StoredBlob stored = blobs.commitUpload(session.id(), session.repositoryId(), written).orElse(null);
        if (stored != null) {
            guard.settle(RepositoryName.parse(repository.name()));
        }
        return stored;
    }

    private void discard(UploadSession session) {
        digests.forget(session.id());
        if (session.s3UploadId() != null) {
            store.abortMultipart(session.objectId(), session.s3UploadId());
        }
        store.delete(session.objectId());
        store.deleteTail(session.id());
        uploads.delete(session.id());
    }

    /**
     * Reserves the memory a request on a session with {@code parts} parts and a tail of
     * {@code tailBytes} will hold: part buffers and, with a body,
     * the request's unread queue. A request without a body only needs the tail it may read.
     */
    private UploadBudget.Reservation reserve(int parts, long tailBytes, long expected) {
        long queue = expected == 0 ? 0 : expected < 0 ? UploadBudget.REQUEST_QUEUE_BYTES
                : Math.min(expected, UploadBudget.REQUEST_QUEUE_BYTES);
        return budget.reserve(ChunkWriter.memoryFor(partSize, parts, tailBytes, expected) + queue);
    }

    private ChunkWriter writer(UploadSession session, long sizeHint) {
        var running = digests.current(session.id(), session.receivedBytes()).orElse(null);
        return new ChunkWriter(store, uploads, partSize, session, running, sizeHint);
    }

    /** Reads the whole body into the writer; {@code expected} is -1 when the length is not announced. */
    private void readBody(ChunkWriter writer, ByteSource body, long contentLength, long expected) {
        if (contentLength == 0 || body == null) {
            return;
        }
        long read;
        try {
            read = writer.append(body.stream());
        } catch (IOException e) {
            LOG.debugf(e, "upload %s: reading the request body failed", writer.session().id());
            throw new RegistryException(RegistryErrorCode.BLOB_UPLOAD_INVALID,
                    Map.of("reason", "the request body failed or ended early",
                            "received", writer.session().receivedBytes()), e);
        }
        if (expected >= 0 && read != expected) {
            throw RegistryException.of(RegistryErrorCode.SIZE_INVALID,
                    Map.of("reason", "the body has " + read + " bytes, " + expected + " were announced",
                            "received", writer.session().receivedBytes()));
        }
    }

    /** The body's expected length (-1 if unknown), after checking a Content-Range against the session. */
    private static long checkRange(RepositoryName name, UploadSession session, ContentRange range, long contentLength) {
        if (range == null) {
            return contentLength;
        }
        var status = new UploadStatus(name, session.id(), session.receivedBytes());
        if (range.start() != session.receivedBytes()) {
            throw new UploadRangeException(status, "the chunk starts at " + range.start()
                    + " but the upload has " + session.receivedBytes() + " bytes");
        }
        if (contentLength >= 0 && contentLength != range.length()) {
            throw RegistryException.of(RegistryErrorCode.SIZE_INVALID, Map.of("reason", "Content-Range covers "
                    + range.length() + " bytes but Content-Length is " + contentLength));
        }
        return range.length();
    }

    private UploadSession find(UUID id, Repository repository, String uuid) {
        return uploads.find(id, repository.id()).orElseThrow(() -> unknownUpload(uuid));
    }

    private static UUID parseId(String uuid) {
        try {
            UUID id = UUID.fromString(uuid);
            if (id.toString().equalsIgnoreCase(uuid)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through: an id berth never issued
        }
        throw unknownUpload(uuid);
    }

    private static RegistryException unknownUpload(String uuid) {
        return RegistryException.of(RegistryErrorCode.BLOB_UPLOAD_UNKNOWN, Map.of("uuid", uuid));
    }
}
