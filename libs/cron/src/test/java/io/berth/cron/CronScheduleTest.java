package io.berth.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final Instant WEDNESDAY_NOON = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void fiveFieldsAreCrontabsInUtc() {
        assertEquals(Instant.parse("2026-12-03T03:00:00Z"), CronSchedule.parse("0 3 * * *").next(WEDNESDAY_NOON).get());
        assertEquals(Instant.parse("2026-12-06T03:00:00Z"), CronSchedule.parse("0 3 * * 0").next(WEDNESDAY_NOON).get(),
                "0 is Sunday");
        assertEquals(Instant.parse("2026-12-02T12:15:00Z"), CronSchedule.parse("*/15 * * * *").next(WEDNESDAY_NOON).get());
    }

    @Test
    void sixFieldsHaveSecondsFirstAsHarborWritesThem() {
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), CronSchedule.parse("0 0 0 * * *").next(WEDNESDAY_NOON).get());
        assertEquals(Instant.parse("2026-12-02T12:00:30Z"), CronSchedule.parse("30 * * * * *").next(WEDNESDAY_NOON).get());
    }

    @Test
    void whitespaceIsNormalised() {
        assertEquals("0 3 * * *", CronSchedule.parse("  0  3 *\t* * ").expression());
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        for (String bad : new String[] {"", "   ", "* * * *", "* * * * * * * *", "61 * * * *", "0 25 * * *", "a b c d e"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(bad), bad);
            assertTrue(e.getMessage().contains("cron"), e.getMessage());
        }
    }
}
