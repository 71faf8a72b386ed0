package io.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The bytes of berth: blobs and in-progress uploads, in one S3 bucket laid out as
 * {@link ObjectKeys} describes, or in one directory laid out as {@link FilesystemLayout}
 * describes ({@code berth.storage.kind} chooses). Nothing above this interface sees an S3,
 * MinIO, file, Vert.x or Netty type, nor a URL to the store: failures arrive as the exceptions
 * each method names, and bytes move through berth's own {@link ByteSource} and {@link ByteSink}
 * (ADR 0023). Every method but {@link #send} blocks: callers on an event loop must hop to a
 * worker thread first.
 *
 * <p>Two layers. The primitives (put, open, multipart, tail, size, delete) are what every
 * backend implements. The streaming operations ({@link #receive}, {@link #send}) have defaults
 * in terms of the primitives, so every backend works; a backend overrides them with its fast
 * path (S3: one streamed PUT per whole body, a zero-copy relay per GET).
 *
 * <p>Unless a method says otherwise, a failure of the object store itself (unreachable, refused
 * credentials, missing bucket, a 5xx, a timeout, an interrupt) is a
 * {@link StorageUnavailableException}; arguments out of range are an
 * {@link IllegalArgumentException}.
 *
 * <p>Writing a blob in parts (a chunked push) goes: {@link #beginMultipart}, then
 * {@link #writePart} for parts 1, 2, ... , then {@link #completeMultipart} with every part (or
 * {@link #abortMultipart}). Every part except the last must hold at least {@link #MIN_PART_SIZE}
 * bytes: the store accepts smaller parts one by one and rejects them only at completion
 * ({@code EntityTooSmall}, which MinIO and S3Proxy both enforce). Bytes that do not yet fill a part
 * wait in the upload's tail object.
 */
public interface BlobStore {

    /** The smallest part that S3 accepts anywhere but last in a multipart upload: 5 MiB. */
    long MIN_PART_SIZE = 5L * 1024 * 1024;

    /**
     * The largest part {@link #writePart} takes: 64 MiB. A part is held in memory while it is sent
     * (the request is signed over its SHA-256), so this bounds the memory one upload can take;
     * with {@link #MAX_PARTS} parts it still allows blobs of 640 GiB.
     */
    long MAX_PART_SIZE = 64L * 1024 * 1024;

    /** The most parts one multipart upload may have (an S3 limit). */
    int MAX_PARTS = 10_000;

    /** The largest object one PUT may write, and the largest part {@link #copyPart} copies: 5 GiB (S3's limits). */
    long MAX_PUT_SIZE = 5L * 1024 * 1024 * 1024;

    /**
     * Checks that the object store answers and that berth's bucket exists and is accessible.
     *
     * @throws StorageUnavailableException if the endpoint does not answer, the credentials are
     *     refused, or the bucket is missing
     */
    void checkAvailable();

    /** The bucket this store writes to, for messages and health reports. */
    String bucket();

    /**
     * Whether every part of a multipart upload may be smaller than {@link #MIN_PART_SIZE}, not
     * only the last. S3 refuses such parts at completion ({@code EntityTooSmall}), so a writer
     * keeps bytes that do not fill a part in the upload's tail and writes that tail again with
     * the next chunk; a store that takes small parts (a file, which can grow) lets it write each
     * chunk's bytes once, as the next part.
     */
    default boolean takesSmallParts() {
        return false;
    }

    /**
     * Starts an S3 multipart upload whose result will be the blob {@code id}.
     *
     * @return the object store's id of the multipart upload, to pass to the other multipart methods
     * @throws StorageUnavailableException if the store fails
     */
    String beginMultipart(ObjectId id);

    /**
     * Sends one part of a multipart upload: the first {@code length} bytes of {@code data}. Writing
     * a part number again replaces that part. The part is an array, not a stream, because it is
     * held whole anyway: the store needs its checksum before the first byte is sent.
     *
     * @param partNumber 1 to {@link #MAX_PARTS}
     * @param length 0 to {@link #MAX_PART_SIZE} and at most {@code data.length}; at least
     *     {@link #MIN_PART_SIZE} unless this is the last part or the store {@link #takesSmallParts}
     * @return the part, to hand back to {@link #completeMultipart}
     * @throws IllegalArgumentException if {@code partNumber} or {@code length} is out of range
     * @throws BlobNotFoundException if the multipart upload is unknown (aborted, completed, never
     *     begun); some stores (S3Proxy) accept the part anyway and only completion notices
     * @throws StorageUnavailableException if the store fails
     */
    CompletedPart writePart(ObjectId id, String s3UploadId, int partNumber, byte[] data, int length);

    /**
     * Makes all of blob {@code source} part {@code partNumber} of a multipart upload of blob
     * {@code id}, inside the store: no byte travels through berth. {@code source} may be {@code id}
     * itself, whose object stays as it is until the upload completes.
     *
     * @param partNumber 1 to {@link #MAX_PARTS}
     * @param length the size of {@code source}, at most {@link #MAX_PUT_SIZE}; at least
     *     {@link #MIN_PART_SIZE} unless this is the last part
     * @return the part, to hand back to {@link #completeMultipart}
     * @throws IllegalArgumentException if {@code partNumber} or {@code length} is out of range
     * @throws BlobNotFoundException if {@code source} does not exist or the multipart upload is
     *     unknown
     * @throws StorageUnavailableException if the store fails
     */
    CompletedPart copyPart(ObjectId id, String s3UploadId, int partNumber, ObjectId source, long length);

    /**
     * Joins the parts, in part-number order, into the blob {@code id}; afterwards the upload id is
     * spent. {@code parts} may be in any order.
     *
     * @throws IllegalArgumentException if {@code parts} is empty or has a number twice, or the store
     *     rejects the parts (an unknown part or ETag, or a part other than the last below
     *     {@link #MIN_PART_SIZE})
     * @throws BlobNotFoundException if the multipart upload is unknown (aborted, completed, never begun)
     * @throws StorageUnavailableException if the store fails
     */
    void completeMultipart(ObjectId id, String s3UploadId, List<CompletedPart> parts);

    /**
     * Abandons a multipart upload and frees its parts. Idempotent: an upload that is unknown
     * (already aborted or completed) is not an error.
     *
     * @throws StorageUnavailableException if the store fails
     */
    void abortMultipart(ObjectId id, String s3UploadId);

    /**
     * Writes the whole blob {@code id} from exactly {@code length} bytes of {@code data} (which is
     * not closed), for small blobs and monolithic pushes. The bytes are streamed: memory use is
     * bounded by one part of the SDK's own multipart upload (16 MiB), whatever {@code length} is. The
     * object appears whole or not at all.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws java.io.UncheckedIOException if reading {@code data} fails or it ends before
     *     {@code length} bytes
     * @throws StorageUnavailableException if the store fails
     */
    void put(ObjectId id, InputStream data, long length);

    /**
     * Writes the whole blob {@code id} from the first {@code length} bytes of {@code data},
     * replacing any object there: for bytes already in memory (at most {@link #MAX_PART_SIZE}).
     *
     * @throws IndexOutOfBoundsException if {@code length} is outside {@code data}
     * @throws IllegalArgumentException if {@code length} exceeds {@link #MAX_PART_SIZE}
     * @throws StorageUnavailableException if the store fails
     */
    void put(ObjectId id, byte[] data, int length);

    /**
     * Replaces the tail of upload {@code uploadId} with {@code data[offset, offset+length)}. Tails
     * are small (less than one part), so they travel as a byte array.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     * @throws StorageUnavailableException if the store fails
     */
    void putTail(UUID uploadId, byte[] data, int offset, int length);

    /**
     * Opens the tail of upload {@code uploadId} for reading; the caller closes the stream.
     *
     * @throws BlobNotFoundException if the upload has no tail
     * @throws StorageUnavailableException if the store fails
     */
    InputStream openTail(UUID uploadId);

    /**
     * Deletes the tail of upload {@code uploadId}. Idempotent: a missing tail is not an error.
     *
     * @throws StorageUnavailableException if the store fails
     */
    void deleteTail(UUID uploadId);

    /**
     * The size in bytes of blob {@code id}.
     *
     * @throws BlobNotFoundException if the blob does not exist
     * @throws StorageUnavailableException if the store fails
     */
    long size(ObjectId id);

    /**
     * Opens bytes {@code [offset, offset+length)} of blob {@code id}, streamed from the store as the
     * caller reads; the caller closes the stream. A read error later surfaces as an IOException from
     * the stream.
     *
     * @param offset the first byte, 0 or more
     * @param length how many bytes, more than 0; or -1 for everything from {@code offset} to the end
     * @throws IllegalArgumentException if {@code offset} or {@code length} is out of range, or
     *     {@code offset} is at or past the end of the blob
     * @throws BlobNotFoundException if the blob does not exist
     * @throws StorageUnavailableException if the store fails
     */
    InputStream open(ObjectId id, long offset, long length);

    /**
     * Receives a whole blob from {@code body}, which must be exactly {@code length} bytes, handing
     * every piece to {@code observer} (the running digest) before it is stored, in order, on one
     * thread at a time; the observer must not keep a piece. Blocks until the bytes are stored.
     * The object appears whole or not at all. A backend may take a faster way from a source it
     * recognises (S3: a Vert.x request body is piped to the store on its event loop in one PUT).
     *
     * @param length 0 to {@link #MAX_PUT_SIZE}
     * @return how many bytes the body had: {@code length} when the blob was stored; another count
     *     when the body ended cleanly at a different length, in which case nothing is stored
     * @throws IOException if the body fails, stalls, or ends short of {@code length} other than
     *     cleanly; nothing is stored
     * @throws IllegalStateException if the source was already used
     * @throws StorageUnavailableException if the store fails
     */
    default long receive(ObjectId id, ByteSource body, long length, Consumer<ByteBuffer> observer) throws IOException {
        return Receiving.receive(this, id, body, length, observer);
    }

    /**
     * Streams bytes {@code [offset, offset+length)} of blob {@code id} into {@code sink}, reading
     * only as fast as the sink takes them (its {@link ByteSink#write} stages), then ends it. Does
     * not block: the work runs on the store's own threads or event loops. A backend may take a
     * faster way into a sink it recognises (S3: a presigned GET relayed into a Vert.x response at
     * Netty's level, ADR 0023); the default reads {@link #open} in 256 KiB pieces.
     *
     * @param length how many bytes, more than 0; or -1 for everything from {@code offset} on
     * @return completes when the sink has ended. Fails, with nothing written to the sink, with
     *     {@link BlobNotFoundException} if the blob does not exist, {@link IllegalArgumentException}
     *     for a range outside it, {@link StorageUnavailableException} if the store fails; fails
     *     with the cause after {@link ByteSink#abort} if the transfer breaks once begun (the sink
     *     broke, or the store did mid-body)
     */
    default CompletionStage<Void> send(ObjectId id, long offset, long length, ByteSink sink) {
        return SendLoop.start(this, id, offset, length, sink);
    }

    /**
     * One page of the blobs whose object ids start with {@code prefix}, in ascending id order
     * after {@code after}: for a sweep (gc) that compares what is stored with what the database
     * names. Objects still being written by a multipart upload are not listed.
     *
     * @param prefix a prefix of the ids' canonical text ("" for all)
     * @param after the last id of the previous page, or null for the first page
     * @param limit 1 to 1000
     * @throws IllegalArgumentException if {@code limit} is out of range
     * @throws UnsupportedOperationException if this backend cannot list (none of berth's)
     * @throws StorageUnavailableException if the store fails
     */
    default BlobPage list(String prefix, ObjectId after, int limit) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list its blobs");
    }

    /**
     * A URL that lets anyone holding it GET blob {@code id} for {@code ttl}, for answering a pull
     * with a 307 ({@code berth.registry.blobs.redirect}); empty when this backend has no such
     * URL (a filesystem), in which case berth serves the bytes itself. It does not check that the
     * blob exists.
     *
     * @param ttl 1 second to 7 days
     * @throws IllegalArgumentException if {@code ttl} is out of range
     * @throws StorageUnavailableException if the URL cannot be made
     */
    default Optional<URI> redirect(ObjectId id, Duration ttl) {
        return Optional.empty();
    }

    /**
     * Deletes blob {@code id}. Idempotent: a missing blob is not an error.
     *
     * @throws StorageUnavailableException if the store fails
     */
    void delete(ObjectId id);

    /**
     * Deletes many blobs, as few requests as the backend allows (S3: one {@code DeleteObjects}
     * per 1000), for gc's sweeps. Idempotent like {@link #delete}.
     *
     * @return the ids the store refused to delete (each still there); empty when all went
     * @throws StorageUnavailableException if the store cannot be asked at all
     */
    default List<ObjectId> deleteAll(Collection<ObjectId> ids) {
        List<ObjectId> failed = new ArrayList<>();
        StorageUnavailableException first = null;
        for (ObjectId id : ids) {
            try {
                delete(id);
            } catch (StorageUnavailableException e) {
                first = first == null ? e : first;
                failed.add(id);
            }
        }
        if (first != null && failed.size() == ids.size()) {
            throw first;
        }
        return failed;
    }
}
