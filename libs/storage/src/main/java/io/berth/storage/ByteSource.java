package io.berth.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * Bytes on their way into the store: the body of an upload request (made by
 * {@code io.berth.storage.http.HttpBodies#source}), or anything a service can read as a stream.
 * {@link BlobStore#receive} takes it whole; the chunked path reads {@link #stream} into its part
 * buffers. No transport type appears here; a backend may recognise a source it knows a faster
 * way from (S3 pipes a Vert.x request body to a presigned PUT on its event loop, ADR 0023).
 *
 * <p>Back-pressure is the reader's pace: a source fills at most a bounded queue ahead of
 * {@link #stream}'s reader, and nothing flows before the first read. A source is used once,
 * either read or received; {@link #close} lets what was not used drain away (for an HTTP body,
 * so the connection stays usable).
 */
public interface ByteSource extends AutoCloseable {

    /**
     * The most bytes a source reads ahead of its reader before it pauses its own producer (an HTTP
     * source pauses the connection): part of the memory an upload reserves.
     */
    int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    /**
     * The bytes as a blocking stream, for a worker thread. A failed or stalled source surfaces as
     * an IOException from {@code read}.
     *
     * @throws IllegalStateException if the source was already received whole
     */
    InputStream stream();

    /** Drops what was not read. Idempotent. */
    @Override
    void close();

    /** A source over a stream the caller owns (closing the source does not close it). */
    static ByteSource of(InputStream in) {
        return new ByteSource() {
            @Override
            public InputStream stream() {
                return in;
            }

            @Override
            public void close() {
                // The stream is the caller's.
            }
        };
    }

    /** A source over bytes in memory, for tests. */
    static ByteSource of(byte[] bytes) {
        return of(new ByteArrayInputStream(bytes));
    }
}
