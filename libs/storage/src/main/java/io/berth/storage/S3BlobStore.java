package io.berth.storage;

import io.berth.storage.S3Calls.Classifier;
import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.ComposeObjectArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.UploadPartCopyArgs;
import io.minio.errors.MinioException;
import io.minio.messages.Part;
import io.berth.storage.http.StoreTransport;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import okhttp3.OkHttpClient;

/**
 * {@link BlobStore} on any S3-compatible endpoint (MinIO in production, S3Proxy locally) through
 * the MinIO Java SDK's asynchronous client, whose futures each method waits for.
 */
public final class S3BlobStore implements BlobStore {

    /**
     * Part size of the SDK's own multipart upload behind {@link #put}: what one put holds in memory.
     * Larger than S3's 5 MiB minimum so a big monolithic push needs fewer requests.
     */
    private static final long PUT_PART_SIZE = 16L * 1024 * 1024;

    private static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    /** Validity of the URL a whole body is PUT to; the store checks it when the PUT starts. */
    private static final Duration PUT_URL_TTL = Duration.ofMinutes(5);

    /** Validity of the URL a GET reads the blob from: the relay starts it at once. */
    private static final Duration GET_URL_TTL = Duration.ofMinutes(1);

    private final MinioAsyncClient client;
    private final String bucket;
    private final String endpoint;
    private final StoreTransport transport;

    /**
     * A store for {@code config}'s bucket, whose {@link #receive} and {@link #send} use the SDK
     * only (the contract's defaults); connects lazily, so it never fails here.
     */
    public S3BlobStore(StorageConfig config) {
        this(config, null);
    }

    /**
     * A store for {@code config}'s bucket that moves HTTP bodies through {@code transport} on the
     * event loops: a request body received whole is one streamed PUT, a GET into a client's
     * response is relayed without copies (ADR 0012, 0023).
     *
     * @param transport null for the SDK only
     */
    public S3BlobStore(StorageConfig config, StoreTransport transport) {
        this.transport = transport;
        this.endpoint = config.endpoint();
        this.bucket = config.bucket();
        // Short connect timeout: an unreachable store must fail a readiness probe quickly. Reads
        // and writes get long timeouts because blobs can be gigabytes.
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.MINUTES)
                .writeTimeout(5, TimeUnit.MINUTES)
                .build();
        // The region is fixed so the SDK never asks the endpoint for it (presigning stays offline).
        this.client = MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http)
                .build();
    }

    @Override
    public void checkAvailable() {
        boolean exists = S3Calls.await("object store at " + endpoint + " is not usable (bucket '" + bucket + "')",
                S3Calls.UNAVAILABLE, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        if (!exists) {
            throw new StorageUnavailableException("bucket '" + bucket + "' does not exist at " + endpoint);
        }
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String beginMultipart(ObjectId id) {
        String key = ObjectKeys.blob(id);
        var created = S3Calls.await("beginning a multipart upload of " + key, S3Calls.UNAVAILABLE,
                () -> client.createMultipartUpload(
                        CreateMultipartUploadArgs.builder().bucket(bucket).object(key).build()));
        return created.result().uploadId();
    }

    @Override
    public CompletedPart writePart(ObjectId id, String s3UploadId, int partNumber, byte[] data, int length) {
        String key = ObjectKeys.blob(id);
        Objects.requireNonNull(s3UploadId, "s3UploadId");
        BlobArguments.checkPart(partNumber, data, length);
        var written = S3Calls.awaitReplayable("writing part " + partNumber + " of " + key, S3Calls.uploadUnknown(id, s3UploadId),
                () -> client.uploadPart(UploadPartArgs.builder()
                        .bucket(bucket).object(key).uploadId(s3UploadId).partNumber(partNumber)
                        .headers(unsignedPayload(data, length)).data(data, length).build()));
        return new CompletedPart(partNumber, written.part().etag(), length);
    }

    @Override
    public CompletedPart copyPart(ObjectId id, String s3UploadId, int partNumber, ObjectId source, long length) {
        String key = ObjectKeys.blob(id);
        String sourceKey = ObjectKeys.blob(source);
        Objects.requireNonNull(s3UploadId, "s3UploadId");
        BlobArguments.checkCopy(partNumber, length);
        Classifier unknown = S3Calls.uploadUnknown(id, s3UploadId);
        var copied = S3Calls.awaitReplayable("copying " + sourceKey + " into part " + partNumber + " of " + key,
                error -> error.is("NoSuchKey")
                        ? new BlobNotFoundException(source, "blob object " + sourceKey + " does not exist")
                        : unknown.classify(error),
                // The SDK's own builder for this call cannot build (its constructor is private),
                // so the arguments are made the way its composeObject makes them.
                () -> client.uploadPartCopy(new UploadPartCopyArgs(
                        ComposeObjectArgs.builder().bucket(bucket).object(key)
                                .sources(List.of(SourceObject.builder().bucket(bucket).object(sourceKey).build()))
                                .build(),
                        s3UploadId, partNumber,
                        new Http.Headers(Map.of("x-amz-copy-source", bucket + "/" + sourceKey)))));
        return new CompletedPart(partNumber, copied.part().etag(), length);
    }

    @Override
    public void completeMultipart(ObjectId id, String s3UploadId, List<CompletedPart> parts) {
        String key = ObjectKeys.blob(id);
        Objects.requireNonNull(s3UploadId, "s3UploadId");
        // S3 wants ascending part numbers; the caller's order is whatever its session stored.
        Part[] sorted = BlobArguments.sortedParts(key, parts).stream()
                .map(p -> new Part(p.number(), p.etag()))
                .toArray(Part[]::new);
        Classifier unknown = S3Calls.uploadUnknown(id, s3UploadId);
        S3Calls.await("completing the multipart upload of " + key, error -> switch (error.code() == null ? "" : error.code()) {
            case "InvalidPart", "InvalidPartOrder", "EntityTooSmall" -> new IllegalArgumentException(
                    "the object store rejected the parts of " + key + ": " + error.code() + " " + error.message());
            default -> unknown.classify(error);
        }, () -> client.completeMultipartUpload(CompleteMultipartUploadArgs.builder()
                .bucket(bucket).object(key).uploadId(s3UploadId).parts(sorted).build()));
    }

    @Override
    public void abortMultipart(ObjectId id, String s3UploadId) {
        String key = ObjectKeys.blob(id);
        Objects.requireNonNull(s3UploadId, "s3UploadId");
        try {
            S3Calls.await("aborting the multipart upload of " + key, S3Calls.uploadUnknown(id, s3UploadId),
                    () -> client.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                            .bucket(bucket).object(key).uploadId(s3UploadId).build()));
        } catch (BlobNotFoundException alreadyGone) {
            // Aborted or completed before: what the caller wants is already true.
        }
    }

    @Override
    public void put(ObjectId id, InputStream data, long length) {
        String key = ObjectKeys.blob(id);
        Objects.requireNonNull(data, "data");
        BlobArguments.checkBlobLength(length);
        var source = new ExactLengthStream(data, length);
        if (length <= PUT_PART_SIZE) {
            // One part: the SDK would hold it in memory anyway. Holding it here makes it replayable.
            byte[] body;
            try {
                body = source.readNBytes((int) length);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the bytes for " + key + " failed", e);
            }
            putArray(key, body, 0, body.length);
            return;
        }
        // Past 160 GiB, 16 MiB parts would exceed S3's part count; grow them in whole MiB.
        long partSize = Math.max(PUT_PART_SIZE, ceilToMiB((length + MAX_PARTS - 1) / MAX_PARTS));
        try {
            S3Calls.await("writing " + key, S3Calls.UNAVAILABLE,
                    () -> client.putObject(PutObjectArgs.builder()
                            .bucket(bucket).object(key).stream(source, length, partSize)
                            .parallelUploads(1).build()));
        } catch (StorageUnavailableException e) {
            if (source.failure() != null) {
                throw new UncheckedIOException("reading the bytes for " + key + " failed", source.failure());
            }
            throw e;
        }
    }

    @Override
    public void put(ObjectId id, byte[] data, int length) {
        BlobArguments.checkInMemoryBlob(data, length);
        putArray(ObjectKeys.blob(id), data, 0, length);
    }

    @Override
    public void putTail(UUID uploadId, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        putArray(ObjectKeys.tail(uploadId), data, offset, length);
    }

    private void putArray(String key, byte[] data, int offset, int length) {
        // The SDK takes "the first n bytes of an array": copy only when the range starts later.
        byte[] body = offset == 0 ? data : Arrays.copyOfRange(data, offset, offset + length);
        S3Calls.awaitReplayable("writing " + key, S3Calls.UNAVAILABLE,
                () -> client.putObject(PutObjectAPIArgs.builder()
                        .bucket(bucket).object(key).headers(unsignedPayload(body, length)).data(body, length).build()));
    }

    /**
     * Request headers that leave a write's body out of its signature and carry its CRC32C instead,
     * which the store verifies, so a corrupted transfer is still refused. Over plain HTTP the SDK
     * would otherwise hash every byte with SHA-256 before sending it (and the store again to check
     * it): two more passes over every pushed byte, beside the digest berth computes anyway. The
     * checksum is computed here because the SDK's own CRC32C is pure Java and far slower than the
     * JDK's intrinsic one. Over HTTPS the SDK sends unsigned payloads anyway.
     */
    private static Http.Headers unsignedPayload(byte[] data, int length) {
        var crc = new CRC32C();
        crc.update(data, 0, length);
        long value = crc.getValue();
        byte[] bigEndian = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return new Http.Headers(Map.of(
                "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
                "x-amz-checksum-crc32c", Base64.getEncoder().encodeToString(bigEndian),
                "x-amz-sdk-checksum-algorithm", "CRC32C"));
    }

    @Override
    public InputStream openTail(UUID uploadId) {
        String key = ObjectKeys.tail(uploadId);
        var body = S3Calls.awaitReplayable("reading " + key,
                error -> S3Calls.isMissing(error) ? new BlobNotFoundException(key, "upload tail " + key + " does not exist") : null,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
        return hideSdkType(body);
    }

    @Override
    public void deleteTail(UUID uploadId) {
        remove(ObjectKeys.tail(uploadId));
    }

    @Override
    public long size(ObjectId id) {
        String key = ObjectKeys.blob(id);
        try {
            return S3Calls.awaitReplayable("looking up " + key, S3Calls.blobUnknown(id),
                    () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())).size();
        } catch (BlobNotFoundException e) {
            // A HEAD answer has no body, so the SDK reports a missing bucket as NoSuchKey too; only
            // asking tells a lost blob from a misconfigured store (rare: the database knew the blob).
            checkAvailable();
            throw e;
        }
    }

    @Override
    public InputStream open(ObjectId id, long offset, long length) {
        String key = ObjectKeys.blob(id);
        BlobArguments.checkRange(offset, length);
        var args = GetObjectArgs.builder().bucket(bucket).object(key);
        // No Range header for a whole read: "bytes=0-" of an empty blob would be unsatisfiable.
        if (offset > 0 || length > 0) {
            args.offset(offset);
            if (length > 0) {
                args.length(length);
            }
        }
        Classifier notFound = S3Calls.blobUnknown(id);
        var body = S3Calls.awaitReplayable("reading " + key, error -> error.is("InvalidRange") || error.status() == 416
                        ? new IllegalArgumentException("offset " + offset + " is at or past the end of " + key)
                        : notFound.classify(error),
                () -> client.getObject(args.build()));
        return hideSdkType(body);
    }

    /**
     * A body from {@link io.berth.storage.http.HttpBodies} goes to a presigned PUT in one request,
     * piped on its event loop (at most {@link #MAX_PUT_SIZE}); any other through {@link #put}.
     */
    @Override
    public long receive(ObjectId id, ByteSource body, long length, Consumer<ByteBuffer> observer) throws IOException {
        if (transport != null && length <= MAX_PUT_SIZE && transport.canReceive(body)) {
            return transport.receive(body, presign(Http.Method.PUT, id, PUT_URL_TTL), length, observer);
        }
        return BlobStore.super.receive(id, body, length, observer);
    }

    /** A client response from {@link io.berth.storage.http.HttpBodies} is relayed from a presigned GET; any other sink is fed from {@link #open}. */
    @Override
    public CompletionStage<Void> send(ObjectId id, long offset, long length, ByteSink sink) {
        if (transport != null && transport.canSend(sink)) {
            URI source;
            try {
                source = presign(Http.Method.GET, id, GET_URL_TTL);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return transport.send(source, offset, length, sink, id);
        }
        return BlobStore.super.send(id, offset, length, sink);
    }

    @Override
    public BlobPage list(String prefix, ObjectId after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        BlobArguments.checkPageLimit(limit);
        var args = ListObjectsArgs.builder().bucket(bucket).prefix(ObjectKeys.BLOBS + prefix).recursive(true)
                .maxKeys(Math.min(1000, limit + 1));
        if (after != null) {
            args.startAfter(ObjectKeys.blob(after));
        }
        List<ListedBlob> found = new ArrayList<>();
        boolean more = false;
        try {
            for (Result<Item> result : client.listObjects(args.build())) {
                Item item = result.get();
                ObjectId id;
                try {
                    id = ObjectId.parse(item.objectName().substring(ObjectKeys.BLOBS.length()));
                } catch (IllegalArgumentException notOurs) {
                    continue; // a key berth did not write: not a blob
                }
                if (found.size() == limit) {
                    more = true;
                    break;
                }
                found.add(new ListedBlob(id, item.size(), item.lastModified().toInstant()));
            }
        } catch (MinioException | RuntimeException e) {
            throw S3Calls.translate("listing " + ObjectKeys.BLOBS + prefix, S3Calls.UNAVAILABLE, e);
        }
        return new BlobPage(found, more ? Optional.of(found.get(found.size() - 1).id()) : Optional.empty());
    }

    /** A presigned GET of the blob: S3 can serve a pull itself. */
    @Override
    public Optional<URI> redirect(ObjectId id, Duration ttl) {
        return Optional.of(presign(Http.Method.GET, id, ttl));
    }

    /** How many GETs were relayed at Netty's level (tests check the path taken). */
    public long relayedTransfers() {
        return transport == null ? 0 : transport.relayedTransfers();
    }

    /** Closes the transport's connections; the SDK's need no closing. */
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /**
     * A URL that lets anyone holding it {@code method} blob {@code id} for {@code ttl}. It is
     * signed locally, so it does not check that the blob exists; it names the configured
     * endpoint. It never leaves this class but to the transport and a 307's Location.
     */
    URI presign(Http.Method method, ObjectId id, Duration ttl) {
        String key = ObjectKeys.blob(id);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("presigned URL lifetime " + ttl + " is not in 1s..7d");
        }
        try {
            return URI.create(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(method).bucket(bucket).object(key)
                    .expiry((int) ttl.toSeconds()).build()));
        } catch (MinioException | RuntimeException e) {
            throw S3Calls.translate("presigning a " + method + " of " + key, S3Calls.UNAVAILABLE, e);
        }
    }

    @Override
    public void delete(ObjectId id) {
        remove(ObjectKeys.blob(id));
    }

    /**
     * One {@code DeleteObjects} request per 1000 keys (the SDK splits them). The answer lists
     * the keys S3 refused; a missing key is not refused, so this is idempotent too.
     */
    @Override
    public List<ObjectId> deleteAll(Collection<ObjectId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, ObjectId> byKey = new HashMap<>();
        List<DeleteRequest.Object> objects = new ArrayList<>(ids.size());
        for (ObjectId id : ids) {
            String key = ObjectKeys.blob(id);
            byKey.put(key, id);
            objects.add(new DeleteRequest.Object(key));
        }
        List<ObjectId> failed = new ArrayList<>();
        try {
            for (Result<DeleteResult.Error> refused : client.removeObjects(
                    RemoveObjectsArgs.builder().bucket(bucket).objects(objects).build())) {
                ObjectId id = byKey.get(refused.get().objectName());
                if (id != null) {
                    failed.add(id);
                }
            }
        } catch (MinioException | RuntimeException e) {
            throw S3Calls.translate("deleting " + ids.size() + " blobs", S3Calls.UNAVAILABLE, e);
        }
        return failed;
    }

    /** S3 answers a DELETE of a missing key with 204, which is what makes deletes idempotent. */
    private void remove(String key) {
        S3Calls.awaitReplayable("deleting " + key, S3Calls.UNAVAILABLE,
                () -> client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    private static long ceilToMiB(long bytes) {
        long mib = 1024L * 1024;
        return (bytes + mib - 1) / mib * mib;
    }

    /** Callers get a plain stream: the SDK's response type must not leak above this class. */
    private static InputStream hideSdkType(InputStream sdkBody) {
        return new FilterInputStream(sdkBody) {
        };
    }
}
