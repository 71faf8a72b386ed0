package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The closed loop on its own, with operations that are Vert.x timers. */
class RunnerTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    private Future<Long> after(long ms, long bytes) {
        Promise<Long> p = Promise.promise();
        vertx.setTimer(ms, id -> p.complete(bytes));
        return p.future();
    }

    @Test
    void aCountedRunDoesExactlyItsOperationsWithAtMostItsClientsAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Measurement m = Runner.run(4, 40, 60_000, 10_000, Map.of(), i -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return after(5, 1000).onComplete(ar -> inFlight.decrementAndGet());
        });
        assertEquals(40, m.ops());
        assertEquals(0, m.errors());
        assertEquals(40_000, m.bytes());
        assertEquals(40, m.latencies().count());
        assertEquals(4, most.get());
        // Ten rounds of four 5 ms operations: at least 50 ms.
        assertTrue(m.seconds() >= 0.05, "took " + m.seconds());
        assertTrue(m.latencies().quantileMillis(0.5) >= 5);
    }

    @Test
    void failuresAreCountedAndTheFirstFewKeptAndTheLoopGoesOn() {
        Measurement m = Runner.run(2, 20, 60_000, 10_000, Map.of(), i -> i % 2 == 0
                ? Future.failedFuture(new BenchException("failure " + i))
                : after(1, 10));
        assertEquals(20, m.ops());
        assertEquals(10, m.errors());
        assertEquals(100, m.bytes());
        assertEquals(3, m.sampleErrors().size());
        assertTrue(m.sampleErrors().get(0).startsWith("failure "));
        assertEquals(10 / m.seconds(), m.opsPerSecond(), 1e-6);
    }

    @Test
    void aTimedRunStopsStartingOperationsAtItsDeadline() {
        Measurement m = Runner.run(2, Integer.MAX_VALUE, 200, 10_000, Map.of(), i -> after(10, 0));
        assertTrue(m.seconds() >= 0.2 && m.seconds() < 2, "took " + m.seconds());
        assertTrue(m.ops() >= 20 && m.ops() <= 60, m.ops() + " operations of 10 ms by two clients in 0.2 s");
    }

    @Test
    void operationsThatNeverEndAreCutShortAndCountedAsErrors() {
        Measurement m = Runner.run(3, 3, 100, 200, Map.of(), i -> Promise.<Long>promise().future());
        assertEquals(3, m.ops());
        assertEquals(3, m.errors());
        assertTrue(m.sampleErrors().get(0).contains("had not ended"), m.sampleErrors().toString());
    }
}
