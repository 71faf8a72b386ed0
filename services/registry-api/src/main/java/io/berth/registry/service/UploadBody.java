package io.berth.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The body of an upload request, as {@link UploadService} takes it: either read as a blocking
 * stream (bytes that go through part buffers), or sent whole, as it arrives, to the object store,
 * with no buffer of berth's in between. A body is used one way, once.
 */
public interface UploadBody {

    /** The body as a blocking stream; a failed read is an IOException. */
    InputStream stream();

    /**
     * Sends the body, which must be exactly {@code length} bytes, as the body of a PUT to
     * {@code target} (a presigned object URL), handing every piece to {@code observer} before it
     * leaves, in order, on one thread at a time. Blocks until the store has answered.
     *
     * @return how many bytes the body had: {@code length} when the store took them all; another
     *     count when the body ended cleanly at a different length, in which case the store's
     *     request was reset and it keeps nothing
     * @throws IOException if the body fails, stalls past the idle timeout, or ends short of
     *     {@code length}; the store's request is reset, so it keeps nothing
     * @throws io.berth.storage.StorageUnavailableException if the store cannot be reached or does
     *     not answer with success
     */
    long sendTo(URI target, long length, Consumer<ByteBuffer> observer) throws IOException;
}
