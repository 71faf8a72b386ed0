package io.berth.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A permutation test on two registries' rounds (Wilcoxon's rank sum): of all the ways to deal the
 * pooled rounds into two groups of the same sizes, the share whose rank sums lie at least as far
 * from an even split as the observed one. A small share says one registry's rounds are slower
 * than the other's beyond their spread; a large one says the rounds cannot tell the two apart. It
 * explains a target's result and never decides it (ADR 0018).
 */
final class Permutation {

    /** Fewer rounds than this on either side cannot show anything: 4 against 4 has 70 deals. */
    static final int MIN_ROUNDS = 5;

    /** Up to this many deals every one is counted; above it, {@link #SAMPLED} random ones. */
    private static final long EXACT_LIMIT = 200_000;
    private static final int SAMPLED = 100_000;

    private Permutation() {
    }

    /** The two-sided p-value for rounds {@code a} against {@code b}, NaN when either has fewer than MIN_ROUNDS finite values. */
    static double rankSumP(List<Double> a, List<Double> b) {
        double[] x = finite(a);
        double[] y = finite(b);
        if (x.length < MIN_ROUNDS || y.length < MIN_ROUNDS) {
            return Double.NaN;
        }
        int n = x.length + y.length;
        int k = x.length;
        double[] pooled = new double[n];
        System.arraycopy(x, 0, pooled, 0, k);
        System.arraycopy(y, 0, pooled, k, y.length);
        double[] ranks = ranks(pooled);
        double observed = 0;
        for (int i = 0; i < k; i++) {
            observed += ranks[i];
        }
        double even = k * (n + 1) / 2.0;
        // Rank sums are multiples of 0.5; the margin keeps a deal equal to the observed one from
        // counting as nearer by a rounding error.
        double atLeast = Math.abs(observed - even) - 1e-9;
        if (binomial(n, k) <= EXACT_LIMIT) {
            long[] counts = new long[2];
            deal(ranks, 0, k, 0, even, atLeast, counts);
            return (double) counts[0] / counts[1];
        }
        SplittableRandom random = new SplittableRandom(7);
        double[] shuffled = ranks.clone();
        int extreme = 0;
        for (int s = 0; s < SAMPLED; s++) {
            double sum = 0;
            for (int i = 0; i < k; i++) {
                int j = i + random.nextInt(n - i);
                double t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
                sum += shuffled[i];
            }
            if (Math.abs(sum - even) >= atLeast) {
                extreme++;
            }
        }
        // The observed deal is one of the possible ones, so it counts too.
        return (extreme + 1.0) / (SAMPLED + 1.0);
    }

    /** Every way to choose the remaining {@code left} ranks of the first group from index {@code from} on. */
    private static void deal(double[] ranks, int from, int left, double sum, double even, double atLeast, long[] counts) {
        if (left == 0) {
            counts[1]++;
            if (Math.abs(sum - even) >= atLeast) {
                counts[0]++;
            }
            return;
        }
        for (int i = from; i <= ranks.length - left; i++) {
            deal(ranks, i + 1, left - 1, sum + ranks[i], even, atLeast, counts);
        }
    }

    /** Each value's rank among all of them, from 1; equal values share the mean of their ranks. */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double shared = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                ranks[order[t]] = shared;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double[] finite(List<Double> values) {
        List<Double> kept = new ArrayList<>();
        for (Double v : values) {
            if (v != null && Double.isFinite(v)) {
                kept.add(v);
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            if (r > Long.MAX_VALUE / n) {
                return Long.MAX_VALUE;
            }
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
