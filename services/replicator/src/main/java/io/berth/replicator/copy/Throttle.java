package io.berth.replicator.copy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The pace of one copy's blob streams: a token bucket of {@code speedKib} KiB/s (0: unlimited)
 * that holds at most {@value #STEP} bytes, so a pause between blobs never turns into a burst. It
 * counts the bytes read, and asks whether the execution is stopping every {@value #STEP} bytes.
 */
final class Throttle {

    /** How many bytes at most are read at once, between two stop checks, and the bucket's size. */
    static final int STEP = 64 * 1024;

    /** Thrown from a stream when the execution stops; the copier turns it into {@link CopyStopped}. */
    static final class Stopped extends IOException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the execution was stopped");
        }
    }

    private final long bytesPerSecond;
    private final BooleanSupplier stopRequested;
    private final AtomicLong read = new AtomicLong();
    private double tokens;
    private long last = System.nanoTime();
    private volatile boolean stopped;

    Throttle(int speedKib, BooleanSupplier stopRequested) {
        this.bytesPerSecond = speedKib * 1024L;
        this.stopRequested = stopRequested == null ? () -> false : stopRequested;
        this.tokens = STEP;
    }

    /** Bytes read through this throttle's streams so far. */
    long read() {
        return read.get();
    }

    /** Whether a stream ended because the execution stopped. */
    boolean stopped() {
        return stopped;
    }

    /** Whether the execution is stopping (asked between blobs). */
    boolean stopRequested() {
        if (stopRequested.getAsBoolean()) {
            stopped = true;
        }
        return stopped;
    }

    InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            private long sinceCheck;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sinceCheck >= STEP) {
                    sinceCheck = 0;
                    if (stopRequested()) {
                        throw new Stopped();
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, STEP - sinceCheck));
                if (n > 0) {
                    sinceCheck += n;
                    read.addAndGet(n);
                    take(n);
                }
                return n;
            }
        };
    }

    /** Waits until {@code n} bytes are allowed (the bucket may go negative; the wait repays it). */
    private void take(int n) throws IOException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(STEP, tokens + (now - last) * bytesPerSecond / 1e9);
            last = now;
            tokens -= n;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
        }
    }
}
