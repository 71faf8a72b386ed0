package io.berth.storage;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link BlobStore} in the heap, for fast tests of services that need a store that behaves like
 * the real ones (it passes the same {@code BlobStoreContract}) but not the real store itself. It
 * is thread-safe; its contents vanish with the instance, so it is never a production backend
 * ({@code berth.storage.kind} does not offer it). A blob is one array, so it holds at most about
 * 2 GiB.
 *
 * <p>Stored arrays are private copies and never change once stored: a reader keeps the bytes it
 * opened even if the blob is replaced or deleted meanwhile, as with the other backends.
 */
public final class InMemoryBlobStore implements BlobStore {

    /** The largest blob an array can hold. */
    private static final long MAX_BLOB = Integer.MAX_VALUE - 8;

    private record Upload(ObjectId target, Map<String, byte[]> parts) {}

    private final Map<ObjectId, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<ObjectId, Instant> written = new ConcurrentHashMap<>();
    private final Map<UUID, byte[]> tails = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    /** Always available. */
    @Override
    public void checkAvailable() {
    }

    @Override
    public String bucket() {
        return "in-memory";
    }

    /** How many blobs it holds, for tests that check what a service left behind. */
    public int blobCount() {
        return blobs.size();
    }

    /** Whether a multipart upload is still open, for tests that check a service aborted it. */
    public boolean hasUpload(String multipartId) {
        return uploads.containsKey(multipartId);
    }

    @Override
    public String beginMultipart(ObjectId id) {
        String multipartId = UUID.randomUUID().toString();
        uploads.put(multipartId, new Upload(Objects.requireNonNull(id, "id"), new ConcurrentHashMap<>()));
        return multipartId;
    }

    @Override
    public CompletedPart writePart(ObjectId id, String s3UploadId, int partNumber, byte[] data, int length) {
        BlobArguments.checkPart(partNumber, data, length);
        return addPart(id, s3UploadId, partNumber, Arrays.copyOf(data, length));
    }

    @Override
    public CompletedPart copyPart(ObjectId id, String s3UploadId, int partNumber, ObjectId source, long length) {
        BlobArguments.checkCopy(partNumber, length);
        // Stored arrays never change, so the part can share the source's.
        return addPart(id, s3UploadId, partNumber, existing(source));
    }

    private CompletedPart addPart(ObjectId id, String multipartId, int partNumber, byte[] bytes) {
        Upload upload = upload(id, multipartId);
        String etag = FilesystemLayout.newEtag();
        upload.parts().put(partNumber + "." + etag, bytes);
        return new CompletedPart(partNumber, etag, bytes.length);
    }

    @Override
    public void completeMultipart(ObjectId id, String s3UploadId, List<CompletedPart> parts) {
        String key = ObjectKeys.blob(id);
        List<CompletedPart> sorted = BlobArguments.sortedParts(key, parts);
        Upload upload = upload(id, s3UploadId);
        long total = 0;
        byte[][] chosen = new byte[sorted.size()][];
        for (int i = 0; i < sorted.size(); i++) {
            CompletedPart part = sorted.get(i);
            chosen[i] = upload.parts().get(part.number() + "." + part.etag());
            if (chosen[i] == null) {
                throw new IllegalArgumentException("part " + part.number() + " of " + key + " with etag "
                        + part.etag() + " was never written (InvalidPart)");
            }
            if (i < sorted.size() - 1 && chosen[i].length < MIN_PART_SIZE) {
                throw new IllegalArgumentException("part " + part.number() + " of " + key
                        + " is below " + MIN_PART_SIZE + " bytes (EntityTooSmall)");
            }
            total += chosen[i].length;
        }
        if (total > MAX_BLOB) {
            throw new StorageUnavailableException("the in-memory store holds blobs up to " + MAX_BLOB + " bytes, not " + total);
        }
        byte[] blob = new byte[(int) total];
        int at = 0;
        for (byte[] part : chosen) {
            System.arraycopy(part, 0, blob, at, part.length);
            at += part.length;
        }
        // Only one completion (or an abort) takes the upload.
        if (!uploads.remove(s3UploadId, upload)) {
            throw uploadUnknown(id, s3UploadId);
        }
        blobs.put(id, blob);
        written.put(id, Instant.now());
    }

    @Override
    public void abortMultipart(ObjectId id, String s3UploadId) {
        Objects.requireNonNull(id, "id");
        uploads.computeIfPresent(Objects.requireNonNull(s3UploadId, "s3UploadId"),
                (k, upload) -> upload.target().equals(id) ? null : upload);
    }

    @Override
    public void put(ObjectId id, InputStream data, long length) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
        if (length < 0) {
            throw new IllegalArgumentException("blob length " + length + " is negative");
        }
        if (length > MAX_BLOB) {
            throw new StorageUnavailableException("the in-memory store holds blobs up to " + MAX_BLOB + " bytes, not " + length);
        }
        byte[] bytes;
        try {
            bytes = data.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bytes for " + ObjectKeys.blob(id) + " failed", e);
        }
        if (bytes.length != length) {
            throw new UncheckedIOException("reading the bytes for " + ObjectKeys.blob(id) + " failed",
                    new EOFException("stream ended " + (length - bytes.length) + " bytes before its announced length"));
        }
        blobs.put(id, bytes);
        written.put(id, Instant.now());
    }

    @Override
    public void put(ObjectId id, byte[] data, int length) {
        Objects.requireNonNull(id, "id");
        BlobArguments.checkInMemoryBlob(data, length);
        blobs.put(id, Arrays.copyOf(data, length));
        written.put(id, Instant.now());
    }

    @Override
    public void putTail(UUID uploadId, byte[] data, int offset, int length) {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.checkFromIndexSize(offset, length, data.length);
        tails.put(uploadId, Arrays.copyOfRange(data, offset, offset + length));
    }

    @Override
    public InputStream openTail(UUID uploadId) {
        byte[] tail = tails.get(Objects.requireNonNull(uploadId, "uploadId"));
        if (tail == null) {
            throw new BlobNotFoundException(ObjectKeys.tail(uploadId), "upload tail " + ObjectKeys.tail(uploadId) + " does not exist");
        }
        return new ByteArrayInputStream(tail);
    }

    @Override
    public void deleteTail(UUID uploadId) {
        tails.remove(Objects.requireNonNull(uploadId, "uploadId"));
    }

    @Override
    public long size(ObjectId id) {
        return existing(id).length;
    }

    @Override
    public InputStream open(ObjectId id, long offset, long length) {
        BlobArguments.checkRange(offset, length);
        byte[] blob = existing(id);
        boolean whole = offset == 0 && length == -1;
        if (!whole && offset >= blob.length) {
            throw new IllegalArgumentException("offset " + offset + " is at or past the end of " + ObjectKeys.blob(id));
        }
        long end = length == -1 || length > blob.length - offset ? blob.length : offset + length;
        return new ByteArrayInputStream(blob, (int) offset, (int) (end - offset));
    }

    /** The blobs in id order, as S3 lists them; their time is when they were last written. */
    @Override
    public BlobPage list(String prefix, ObjectId after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        BlobArguments.checkPageLimit(limit);
        String from = after == null ? null : after.toString();
        List<ObjectId> ids = blobs.keySet().stream()
                .filter(id -> id.toString().startsWith(prefix) && (from == null || id.toString().compareTo(from) > 0))
                .sorted(Comparator.comparing(ObjectId::toString)).limit(limit + 1L).toList();
        List<ListedBlob> page = new ArrayList<>();
        for (ObjectId id : ids.subList(0, Math.min(limit, ids.size()))) {
            byte[] blob = blobs.get(id);
            if (blob != null) {
                page.add(new ListedBlob(id, blob.length, written.getOrDefault(id, Instant.EPOCH)));
            }
        }
        return new BlobPage(page, ids.size() > limit && !page.isEmpty()
                ? Optional.of(page.get(page.size() - 1).id()) : Optional.empty());
    }

    @Override
    public void delete(ObjectId id) {
        blobs.remove(Objects.requireNonNull(id, "id"));
        written.remove(id);
    }

    private byte[] existing(ObjectId id) {
        byte[] blob = blobs.get(Objects.requireNonNull(id, "id"));
        if (blob == null) {
            throw new BlobNotFoundException(id, "blob object " + ObjectKeys.blob(id) + " does not exist");
        }
        return blob;
    }

    private Upload upload(ObjectId id, String multipartId) {
        Upload upload = uploads.get(Objects.requireNonNull(multipartId, "s3UploadId"));
        if (upload == null || !upload.target().equals(id)) {
            throw uploadUnknown(id, multipartId);
        }
        return upload;
    }

    private static BlobNotFoundException uploadUnknown(ObjectId id, String multipartId) {
        return new BlobNotFoundException(id, "multipart upload " + multipartId + " of " + ObjectKeys.blob(id) + " is unknown");
    }
}
