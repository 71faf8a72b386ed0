package io.berth.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The 85 % mark of {@code project.quota.warning}, exact and without overflow for any quota. */
class ProjectPolicyThresholdTest {

    @Test
    void eightyFivePercentRoundedDown() {
        assertEquals(85, ProjectPolicy.threshold(100));
        assertEquals(0, ProjectPolicy.threshold(1));
        assertEquals(8_500_000_000L, ProjectPolicy.threshold(10_000_000_000L));
        long max = java.math.BigInteger.valueOf(Long.MAX_VALUE).multiply(java.math.BigInteger.valueOf(85))
                .divide(java.math.BigInteger.valueOf(100)).longValueExact();
        assertEquals(max, ProjectPolicy.threshold(Long.MAX_VALUE));
    }
}
