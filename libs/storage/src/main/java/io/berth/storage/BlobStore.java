package io.berth.storage;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The bytes of berth: blobs and in-progress uploads in one S3 bucket, laid out as
 * {@link ObjectKeys} describes, or in one directory ({@link FilesystemBlobStore}, laid out as
 * {@link FilesystemLayout} describes); {@code berth.storage.kind} chooses. Nothing above this
 * interface sees an S3, MinIO or file type; failures
 * arrive as the exceptions each method names. Every method blocks: callers on an event loop must
 * hop to a worker thread first.
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
     *     {@link #MIN_PART_SIZE} unless this is the last part
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
     * A URL that lets anyone holding it GET blob {@code id} for {@code ttl}, for answering a pull
     * with a 307. It is signed locally, so it does not check that the blob exists; it names the
     * configured endpoint, which the client must be able to reach.
     *
     * @param ttl 1 second to 7 days (the SigV4 limit)
     * @throws IllegalArgumentException if {@code ttl} is out of range
     * @throws StorageUnavailableException if the URL cannot be signed
     * @throws UnsupportedOperationException on a store without URLs (filesystem, in-memory)
     */
    URI presignGet(ObjectId id, Duration ttl);

    /**
     * A URL that lets anyone holding it PUT blob {@code id} (replacing it) for {@code ttl}, so
     * that a body can be streamed to the store by an HTTP client of berth's own, at most
     * {@link #MAX_PUT_SIZE} bytes with a {@code Content-Length}. The body is not signed: its
     * integrity on the way rests on the connection (TLS in production). The store checks the
     * expiry when the request starts, so a slow body may take longer than {@code ttl}.
     *
     * @param ttl 1 second to 7 days (the SigV4 limit)
     * @throws IllegalArgumentException if {@code ttl} is out of range
     * @throws StorageUnavailableException if the URL cannot be signed
     * @throws UnsupportedOperationException on a store without URLs (filesystem, in-memory)
     */
    URI presignPut(ObjectId id, Duration ttl);

    /**
     * Deletes blob {@code id}. Idempotent: a missing blob is not an error.
     *
     * @throws StorageUnavailableException if the store fails
     */
    void delete(ObjectId id);
}
