package io.berth.storage;

import java.util.Objects;
import java.util.UUID;

/**
 * The object-key layout of berth's bucket; the only place that builds keys.
 *
 * <pre>
 * &lt;bucket&gt;/
 *   blobs/&lt;object-id&gt;             the bytes of one blob, written once and never modified or copied.
 *                                 PostgreSQL maps each digest to its object id (the content address
 *                                 lives in the database; the same digest is stored once: on a
 *                                 duplicate commit the new object is deleted).
 *   uploads/&lt;upload-uuid&gt;/tail    bytes of a chunked upload that do not yet fill a multipart part
 * </pre>
 *
 * <p>A multipart upload in progress targets its final {@code blobs/<object-id>} key; its parts are
 * invisible until it is completed. The upload uuid is berth's upload session id (the one in the
 * {@code Location} of {@code /v2/<name>/blobs/uploads/<uuid>}), not S3's multipart upload id.
 */
public final class ObjectKeys {

    /** The prefix of every blob's key. */
    static final String BLOBS = "blobs/";

    private ObjectKeys() {
    }

    /** {@code blobs/<object-id>}: where the bytes of one blob live. */
    public static String blob(ObjectId id) {
        return BLOBS + Objects.requireNonNull(id, "id");
    }

    /** {@code uploads/<upload-uuid>/tail}: the not-yet-a-part bytes of one chunked upload. */
    public static String tail(UUID uploadId) {
        return "uploads/" + Objects.requireNonNull(uploadId, "uploadId") + "/tail";
    }
}
