package io.berth.bench;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Drives one run: {@code clients} closed loops, each starting its next operation when the last
 * one ends, until {@code maxOps} operations have started or {@code duration} has passed,
 * whichever comes first. Every operation's latency is kept; a failed one counts as an error and
 * the loop goes on. A run that has not ended {@code duration + grace} after its start is cut
 * short and its unfinished operations count as errors, so no run hangs the benchmark.
 */
final class Runner {

    private static final int SAMPLE_ERRORS = 3;

    private Runner() {
    }

    /**
     * @param op the i-th operation (i from 0): gives the payload bytes it moved
     * @param processes the registry's processes to meter (label → PID)
     */
    static Measurement run(int clients, int maxOps, long durationMillis, long graceMillis,
            Map<String, Long> processes, IntFunction<Future<Long>> op) {
        Latencies latencies = new Latencies();
        AtomicInteger started = new AtomicInteger();
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<String> sample = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger(clients);
        CompletableFuture<Void> done = new CompletableFuture<>();

        try (ProcessMeter meter = new ProcessMeter(processes)) {
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(durationMillis);
            class Loop {
                void next() {
                    int i = started.getAndIncrement();
                    if (i >= maxOps || System.nanoTime() >= deadline) {
                        if (running.decrementAndGet() == 0) {
                            done.complete(null);
                        }
                        return;
                    }
                    long start = System.nanoTime();
                    Future<Long> f;
                    try {
                        f = op.apply(i);
                    } catch (RuntimeException e) {
                        f = Future.failedFuture(e);
                    }
                    f.onComplete(ar -> {
                        latencies.add(System.nanoTime() - start);
                        completed.incrementAndGet();
                        if (ar.succeeded()) {
                            bytes.addAndGet(ar.result());
                        } else {
                            errors.incrementAndGet();
                            if (sample.size() < SAMPLE_ERRORS) {
                                sample.add(String.valueOf(ar.cause().getMessage()));
                            }
                        }
                        next();
                    });
                }
            }
            for (int c = 0; c < clients; c++) {
                new Loop().next();
            }
            long unfinished = 0;
            try {
                done.get(durationMillis + graceMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                unfinished = Math.min(started.get(), maxOps) - completed.get();
                sample.add(unfinished + " operations had not ended " + (durationMillis + graceMillis) / 1000 + " s after the start");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Measurement(completed.get() + unfinished, errors.get() + unfinished, bytes.get(), seconds,
                    latencies, meter.cpuSeconds(), meter.rssPeakMib(), List.copyOf(sample));
        }
    }
}
