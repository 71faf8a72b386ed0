package io.berth.bench;

import java.util.Arrays;

/**
 * Every operation's latency in one run (or several merged), kept whole so the percentiles are
 * exact: a run is bounded in count and time, so at most a few hundred thousand values.
 * Callbacks of Vert.x's event loops record into it, hence the locking.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    synchronized void add(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = other.nanos;
            n = other.count;
        }
        for (int i = 0; i < n; i++) {
            add(theirs[i]);
        }
    }

    synchronized int count() {
        return count;
    }

    /**
     * The q-th quantile (0 < q <= 1) in milliseconds, by the nearest-rank method: the smallest
     * value with at least q of all values at or below it. NaN when nothing was recorded.
     */
    synchronized double quantileMillis(double q) {
        if (q <= 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
