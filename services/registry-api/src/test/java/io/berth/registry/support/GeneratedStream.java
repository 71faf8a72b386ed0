package io.berth.registry.support;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * {@code length} pseudo-random bytes made on the fly from a seed: a large body without a large
 * array. The same seed and length always give the same bytes, so a second instance yields the
 * expected digest. {@link #onOffset} runs a check once when the stream reaches an offset.
 */
public final class GeneratedStream extends InputStream {

    private final SplittableRandom random;
    private final long length;
    private long position;
    private long hookAt = -1;
    private Runnable hook;

    public GeneratedStream(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.length = length;
    }

    /** Runs {@code action} (once) before the byte at {@code offset} is handed out. */
    public GeneratedStream onOffset(long offset, Runnable action) {
        this.hookAt = offset;
        this.hook = action;
        return this;
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
        if (hook != null && position >= hookAt) {
            Runnable h = hook;
            hook = null;
            h.run();
        }
        int n = (int) Math.min(len, length - position);
        if (hook != null && position < hookAt) {
            n = (int) Math.min(n, hookAt - position);
        }
        for (int i = 0; i < n; i++) {
            // One random value per byte is slow enough to matter at 200 MiB; 8 per long is not.
            if (((position + i) & 7) == 0) {
                current = random.nextLong();
            }
            b[off + i] = (byte) (current >>> (((position + i) & 7) * 8));
        }
        position += n;
        return n;
    }

    private long current;
}
