package io.berth.registry.metadata;

import io.berth.storage.CompletedPart;
import io.berth.storage.ObjectId;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code uploads}: everything needed to continue a chunked upload on any replica.
 *
 * @param id the session id (the {@code <uuid>} of {@code /v2/<name>/blobs/uploads/<uuid>})
 * @param repositoryId the repository the blob will be linked into
 * @param objectId where the bytes go: {@code blobs/<object-id>}
 * @param s3UploadId the multipart upload, or null while every byte still fits in the tail
 * @param parts the parts written so far, in order
 * @param receivedBytes bytes received so far: the parts plus the tail
 * @param tailBytes how many leading bytes of the tail belong to the upload: of the blob's own
 *     object while there are no parts (then it may be a whole body, written by one PUT), else of
 *     {@code uploads/<id>/tail}
 */
public record UploadSession(UUID id, long repositoryId, ObjectId objectId, String s3UploadId,
        List<CompletedPart> parts, long receivedBytes, int tailBytes) {

    public UploadSession {
        parts = List.copyOf(parts);
    }

    /** The same session with its bytes in another object (one written whole by a single PUT). */
    public UploadSession withObject(ObjectId objectId) {
        return new UploadSession(id, repositoryId, objectId, s3UploadId, parts, receivedBytes, tailBytes);
    }

    /** The same session after a change to its progress. */
    public UploadSession withProgress(String s3UploadId, List<CompletedPart> parts, long receivedBytes, int tailBytes) {
        return new UploadSession(id, repositoryId, objectId, s3UploadId, parts, receivedBytes, tailBytes);
    }
}
