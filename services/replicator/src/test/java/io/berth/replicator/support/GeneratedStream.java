package io.berth.replicator.support;

import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code length} pseudo-random bytes from {@code seed}, made as they are read: a large blob without a large array. */
public final class GeneratedStream extends InputStream {

    private final long length;
    private long state;
    private long position;

    public GeneratedStream(long seed, long length) {
        this.length = length;
        this.state = seed == 0 ? 1 : seed;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            b[off + i] = (byte) state;
        }
        position += n;
        return n;
    }

    /** The digest of the stream of {@code seed} and {@code length}, computed by reading it once. */
    public static Digest digest(long seed, long length) {
        try (InputStream in = new GeneratedStream(seed, length)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return Digest.parse("sha256:" + java.util.HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
