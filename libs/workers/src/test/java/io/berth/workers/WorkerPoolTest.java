package io.berth.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's mechanics against an in-memory queue (the services' tests run it on PostgreSQL). */
class WorkerPoolTest {

    /** A queue of numbers in memory: claims take from its head, release puts the running ones back. */
    static final class MemoryClaims implements WorkerPool.Claims<Integer> {
        final ConcurrentLinkedQueue<Integer> due = new ConcurrentLinkedQueue<>();
        final Set<Integer> held = ConcurrentHashMap.newKeySet();
        final List<Integer> frees = new ArrayList<>();
        final AtomicInteger renewed = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();

        @Override
        public synchronized List<Integer> claim(int free) {
            frees.add(free);
            List<Integer> out = new ArrayList<>();
            for (Integer i; out.size() < free && (i = due.poll()) != null;) {
                held.add(i);
                out.add(i);
            }
            return out;
        }

        @Override
        public void renew(List<Integer> running) {
            renewed.addAndGet(running.size());
        }

        @Override
        public int release() {
            int n = held.size();
            due.addAll(held);
            held.clear();
            return n;
        }

        @Override
        public void started(int running) {
            maxRunning.accumulateAndGet(running, Math::max);
        }
    }

    final MemoryClaims claims = new MemoryClaims();
    WorkerPool<Integer> pool;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.stop();
        }
    }

    WorkerPool<Integer> pool(int concurrency, java.util.function.Consumer<Integer> runner) {
        pool = new WorkerPool<>(new WorkerPool.Settings("test", "items", "owner-1", concurrency, "test.concurrency",
                Duration.ofHours(1), Duration.ofMillis(20)), claims, runner);
        return pool;
    }

    @Test
    void runsEveryItemOnNamedDaemonThreadsAtMostConcurrencyAtOnce() throws Exception {
        for (int i = 0; i < 10; i++) {
            claims.due.add(i);
        }
        CountDownLatch done = new CountDownLatch(10);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        pool(3, i -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? "" : " (not a daemon)"));
            claims.held.remove(i);
            sleep(10);
            done.countDown();
        }).start();
        // the poll interval is an hour: only the first poll and the wakes of ended items claim
        assertTrue(done.await(10, TimeUnit.SECONDS), "all ten ran");
        assertTrue(Set.of("berth-test-1", "berth-test-2", "berth-test-3").containsAll(threads), threads.toString());
        assertEquals(3, claims.maxRunning.get(), "three at once, never more");
        synchronized (claims) {
            assertTrue(claims.frees.stream().allMatch(f -> f >= 0 && f <= 3), claims.frees.toString());
        }
    }

    @Test
    void wakeClaimsAtOnceAndRenewsTheRunningOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool(2, i -> {
            started.countDown();
            await(release);
        }).start();
        Thread.sleep(50); // the first poll found nothing
        claims.due.add(7);
        pool.wake();
        assertTrue(started.await(5, TimeUnit.SECONDS), "woken, it claims without waiting for the hour");
        assertEquals(1, pool.running());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (claims.renewed.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(claims.renewed.get() >= 2, "renewed every 20 ms: " + claims.renewed.get());
        release.countDown();
    }

    @Test
    void stopInterruptsAndGivesTheRunningItemsBack() throws Exception {
        claims.due.add(1);
        claims.due.add(2);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        pool(2, i -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        }).start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        pool.stop();
        assertEquals(2, interrupted.get(), "both runs interrupted");
        assertEquals(Set.of(1, 2), Set.copyOf(claims.due), "given back to the queue");
        assertEquals(0, pool.running());
    }

    @Test
    void aBrokenRunFreesItsThreadForTheNext() throws Exception {
        claims.due.add(1);
        claims.due.add(2);
        CountDownLatch second = new CountDownLatch(1);
        pool(1, i -> {
            if (i == 1) {
                throw new IllegalStateException("broken");
            }
            second.countDown();
        }).start();
        assertTrue(second.await(5, TimeUnit.SECONDS), "the one thread went on to item 2");
    }

    @Test
    void concurrencyBelowOneIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool(0, i -> { }));
        assertEquals("test.concurrency must be at least 1, got 0", e.getMessage());
    }

    @Test
    void ownerNamesAreNewAtEachCall() {
        String a = WorkerPool.ownerName("fallback");
        String b = WorkerPool.ownerName("fallback");
        assertTrue(a.matches(".+/[0-9a-f]{8}"), a);
        assertTrue(!a.equals(b), a + " twice");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
