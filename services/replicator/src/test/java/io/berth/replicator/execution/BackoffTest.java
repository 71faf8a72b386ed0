package io.berth.replicator.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry delays: 1 s doubling, capped. */
class BackoffTest {

    private static Duration after(int attempt) {
        return TaskRunner.backoff(attempt, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    @Test
    void doublesFromTheFirstDelayUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), after(1));
        assertEquals(Duration.ofSeconds(2), after(2));
        assertEquals(Duration.ofSeconds(32), after(6));
        assertEquals(Duration.ofSeconds(60), after(7));
        assertEquals(Duration.ofSeconds(60), after(1000), "no overflow for large attempt counts");
    }
}
