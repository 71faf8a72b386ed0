package io.berth.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReadGateTest {

    @Test
    void noMoreReadsRunAtOnceThanItAllowsAndTheRestWait() throws Exception {
        var gate = new ReadGate(2);
        var running = new AtomicInteger();
        var most = new AtomicInteger();
        var release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                reads.add(pool.submit(() -> gate.read(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    return n;
                })));
            }
            Thread.sleep(300);
            assertEquals(2, running.get(), "two reads run, the other four wait");
            release.countDown();
            int sum = 0;
            for (var read : reads) {
                sum += read.get(10, TimeUnit.SECONDS);
            }
            assertEquals(15, sum, "every read ran and returned its own value");
            assertEquals(2, most.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(5)
    void aFailingReadGivesItsPermitBack() {
        var gate = new ReadGate(1);
        assertThrows(IllegalStateException.class, () -> gate.read(() -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(gate.read(() -> true), "the permit came back");
    }
}
