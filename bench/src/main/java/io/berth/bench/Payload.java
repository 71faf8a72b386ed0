package io.berth.bench;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Random (incompressible) bytes of one size, from which any number of distinct blobs are cut
 * cheaply: every blob is the same bytes with its own first 16 (a run id and a counter), so a
 * thousand 100 MiB blobs cost 100 MiB of memory, and only their digests cost time. The bytes
 * live off-heap, where Netty writes them to the socket without another copy.
 */
final class Payload {

    static final int PREFIX = 16;

    private final long size;
    private final long runId;
    private final ByteBuf rest;

    /** Random bytes of {@code size} (at least 16), seeded so that two runs differ. */
    Payload(long size, long runId) {
        if (size < PREFIX || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a payload is 16 bytes to 2 GiB: " + size);
        }
        this.size = size;
        this.runId = runId;
        SplittableRandom random = new SplittableRandom(runId ^ size);
        ByteBuf buf = Unpooled.directBuffer((int) size - PREFIX);
        byte[] chunk = new byte[64 * 1024];
        while (buf.isWritable()) {
            int n = Math.min(chunk.length, buf.writableBytes());
            fill(chunk, n, random);
            buf.writeBytes(chunk, 0, n);
        }
        // Written by many requests at once, never freed before the process ends.
        this.rest = Unpooled.unreleasableBuffer(buf.asReadOnly());
    }

    long size() {
        return size;
    }

    /** The n-th distinct blob of this payload, its digest computed now (before any timing). */
    Blob blob(long n) {
        ByteBuf prefix = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(PREFIX).writeLong(runId).writeLong(n).asReadOnly());
        MessageDigest sha256 = sha256();
        sha256.update(prefix.nioBuffer());
        ByteBuffer body = rest.nioBuffer();
        // MessageDigest copies a direct buffer through a small array; a larger one is faster.
        byte[] chunk = new byte[256 * 1024];
        while (body.hasRemaining()) {
            int n2 = Math.min(chunk.length, body.remaining());
            body.get(chunk, 0, n2);
            sha256.update(chunk, 0, n2);
        }
        return new Blob(Digest.of(DigestAlgorithm.SHA256, sha256.digest()), size, prefix, rest);
    }

    /** Fills {@code chunk[0, n)} with random bytes. */
    static void fill(byte[] chunk, int n, SplittableRandom random) {
        for (int i = 0; i < n; i += 8) {
            long r = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                chunk[i + j] = (byte) (r >>> (8 * j));
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One blob: its digest, and its bytes as a prefix and the payload's shared rest. */
    record Blob(Digest digest, long size, ByteBuf prefix, ByteBuf rest) {

        /** The whole blob as a Vert.x buffer over the shared bytes (nothing is copied). */
        Buffer body() {
            return Buffer.buffer(Unpooled.wrappedUnmodifiableBuffer(prefix.duplicate(), rest.duplicate()));
        }

        /** Bytes [offset, offset + length) of the blob, for a chunked upload. */
        Buffer slice(long offset, int length) {
            return Buffer.buffer(Unpooled.wrappedUnmodifiableBuffer(prefix.duplicate(), rest.duplicate())
                    .slice((int) offset, length));
        }
    }
}
