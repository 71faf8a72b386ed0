package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationTest {

    @Test
    void theSameRoundsOnBothSidesCannotBeToldApart() {
        List<Double> rounds = List.of(0.88, 0.91, 0.93, 0.95, 0.97);
        assertEquals(1.0, Permutation.rankSumP(rounds, rounds), 1e-12);
    }

    @Test
    void fiveRoundsAllBelowFiveOthersAreTheMostExtremeOfAllDeals() {
        // 252 ways to deal ten rounds five and five; only this one and its mirror put every round
        // of one group below every round of the other.
        double p = Permutation.rankSumP(List.of(1.0, 2.0, 3.0, 4.0, 5.0), List.of(11.0, 12.0, 13.0, 14.0, 15.0));
        assertEquals(2.0 / 252, p, 1e-12);
        // Nine and nine: 2 of 48,620.
        assertEquals(2.0 / 48_620, Permutation.rankSumP(List.of(0.30, 0.31, 0.31, 0.32, 0.32, 0.33, 0.33, 0.34, 0.35),
                List.of(0.25, 0.25, 0.26, 0.26, 0.27, 0.27, 0.28, 0.28, 0.29)), 1e-12);
    }

    @Test
    void equalValuesShareTheirRanks() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Permutation.ranks(new double[] {0.1, 0.3, 0.3, 0.9}));
        assertArrayEquals(new double[] {3, 1, 3, 3}, Permutation.ranks(new double[] {5, 1, 5, 5}));
    }

    @Test
    void theShareCountsEveryDealAtLeastAsFarApart() {
        // Checked against every subset of the pooled rounds, counted the slow way.
        List<Double> a = List.of(1.0, 3.0, 5.0, 7.0, 9.0);
        List<Double> b = List.of(2.0, 4.0, 6.0, 8.0, 10.0);
        assertEquals(bruteForce(a, b), Permutation.rankSumP(a, b), 1e-12);
        // Ties across the groups.
        List<Double> c = List.of(0.91, 0.93, 0.88, 0.97, 0.90, 0.92);
        List<Double> d = List.of(0.89, 0.93, 0.95, 0.96, 0.99, 0.88, 0.98);
        assertEquals(bruteForce(c, d), Permutation.rankSumP(c, d), 1e-12);
    }

    @Test
    void tooFewRoundsOnEitherSideGiveNoAnswer() {
        assertTrue(Double.isNaN(Permutation.rankSumP(List.of(1.0, 2.0, 3.0, 4.0), List.of(5.0, 6.0, 7.0, 8.0, 9.0))));
        // A failed round (NaN) is not a round.
        assertTrue(Double.isNaN(Permutation.rankSumP(List.of(1.0, 2.0, 3.0, 4.0, Double.NaN),
                List.of(5.0, 6.0, 7.0, 8.0, 9.0))));
    }

    @Test
    void manyRoundsAreSampledAndStillSeparateOrNot() {
        SplittableRandom random = new SplittableRandom(1);
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        List<Double> same = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            low.add(0.85 + 0.05 * random.nextDouble());
            high.add(0.95 + 0.05 * random.nextDouble());
            same.add(0.85 + 0.05 * random.nextDouble());
        }
        assertTrue(Permutation.binomial(60, 30) > 200_000, "30 and 30 are sampled, not enumerated");
        assertTrue(Permutation.rankSumP(low, high) < 0.001, "every low round is below every high one");
        assertTrue(Permutation.rankSumP(low, same) > 0.05, "two draws from one distribution");
    }

    /** Every subset of the pooled indices of a's size, by bitmask, with ranks counted pairwise. */
    private static double bruteForce(List<Double> a, List<Double> b) {
        List<Double> pooled = new ArrayList<>(a);
        pooled.addAll(b);
        int n = pooled.size();
        double[] rank = new double[n];
        for (int i = 0; i < n; i++) {
            // 1 + the values below + half of the other values equal to it.
            rank[i] = 1;
            for (int j = 0; j < n; j++) {
                if (pooled.get(j) < pooled.get(i)) {
                    rank[i] += 1;
                } else if (j != i && pooled.get(j).equals(pooled.get(i))) {
                    rank[i] += 0.5;
                }
            }
        }
        double even = a.size() * (n + 1) / 2.0;
        double observed = 0;
        for (int i = 0; i < a.size(); i++) {
            observed += rank[i];
        }
        int all = 0;
        int extreme = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != a.size()) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if ((mask >> i & 1) == 1) {
                    sum += rank[i];
                }
            }
            all++;
            if (Math.abs(sum - even) >= Math.abs(observed - even) - 1e-12) {
                extreme++;
            }
        }
        return (double) extreme / all;
    }
}
