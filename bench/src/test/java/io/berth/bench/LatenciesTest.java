package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void quantilesAreNearestRankOverEveryValue() {
        Latencies l = new Latencies();
        for (int ms = 100; ms >= 1; ms--) { // out of order, and more than the initial capacity's worth later
            l.add(ms * 1_000_000L);
        }
        assertEquals(50.0, l.quantileMillis(0.5));
        assertEquals(90.0, l.quantileMillis(0.9));
        assertEquals(99.0, l.quantileMillis(0.99));
        assertEquals(100.0, l.quantileMillis(1.0));
    }

    @Test
    void oneSlowOperationInAHundredIsTheP99NotTheP90() {
        Latencies l = new Latencies();
        for (int i = 0; i < 99; i++) {
            l.add(1_000_000L);
        }
        l.add(500_000_000L);
        assertEquals(1.0, l.quantileMillis(0.9));
        assertEquals(1.0, l.quantileMillis(0.99));
        assertEquals(500.0, l.quantileMillis(1.0));
    }

    @Test
    void mergingKeepsEveryValueAndGrowsPastTheInitialCapacity() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.add(1_000_000L);
            b.add(3_000_000L);
        }
        a.addAll(b);
        assertEquals(6000, a.count());
        assertEquals(1.0, a.quantileMillis(0.5));
        assertEquals(3.0, a.quantileMillis(0.51));
    }

    @Test
    void nothingRecordedIsNaNAndAQuantileOutsideTheRangeIsRefused() {
        assertTrue(Double.isNaN(new Latencies().quantileMillis(0.99)));
        assertThrows(IllegalArgumentException.class, () -> new Latencies().quantileMillis(0));
        assertThrows(IllegalArgumentException.class, () -> new Latencies().quantileMillis(1.5));
    }
}
