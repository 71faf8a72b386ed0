package io.berth.registry.service;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.registry.config.RegistryConfig;
import io.berth.storage.ByteSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory this replica lets upload bodies hold at once ({@code berth.registry.uploads.memory-budget}).
 * Each request that streams a body reserves what it will hold: its part buffers
 * ({@link ChunkWriter#memoryFor}) plus the unread queue of the request body (at most
 * {@link #REQUEST_QUEUE_BYTES}). A request that cannot reserve waits up to
 * {@code berth.registry.uploads.budget-wait}, then gets 429 TOOMANYREQUESTS: a burst of pushes
 * slows down or is told to retry, and never runs the heap out.
 */
@ApplicationScoped
public class UploadBudget {

    /** The most unread request-body bytes one request queues before its connection is paused. */
    public static final int REQUEST_QUEUE_BYTES = ByteSource.MAX_QUEUED_BYTES;

    /**
     * What a body sent whole to the store holds: the store connection's write queue (1 MiB, at
     * which the client is paused) and what the client's connection delivers meanwhile.
     */
    public static final int WHOLE_BODY_BYTES = 2 * 1024 * 1024;

    private static final int UNIT = 1024;

    private final Semaphore units;
    private final int totalUnits;
    private final Duration wait;

    public UploadBudget(RegistryConfig config) {
        long budget = config.uploads().memoryBudget();
        // At least what one streamed request at the configured part size holds.
        long minimum = 2L * config.uploads().partSize() + REQUEST_QUEUE_BYTES;
        if (budget < minimum) {
            throw new IllegalStateException("berth.registry.uploads.memory-budget must be at least "
                    + minimum + " bytes (two parts and a request queue), is " + budget);
        }
        this.totalUnits = (int) Math.min(Integer.MAX_VALUE, budget / UNIT);
        this.units = new Semaphore(totalUnits, true);
        this.wait = config.uploads().budgetWait();
    }

    /** A reservation; closing it gives the memory back. */
    public interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Reserves {@code bytes} (capped at the whole budget, so one request can always run alone).
     *
     * @throws RegistryException TOOMANYREQUESTS if the budget stays exhausted for the wait
     */
    public Reservation reserve(long bytes) {
        if (bytes <= 0) {
            return () -> { };
        }
        int wanted = (int) Math.min(totalUnits, (bytes + UNIT - 1) / UNIT);
        boolean got;
        try {
            got = units.tryAcquire(wanted, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw RegistryException.of(RegistryErrorCode.TOOMANYREQUESTS, Map.of("reason",
                    "this replica is busy with other uploads; retry shortly"));
        }
        return new Reservation() {
            private boolean released;

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    units.release(wanted);
                }
            }
        };
    }

    /** What is free right now, in bytes (for tests and metrics). */
    public long available() {
        return (long) units.availablePermits() * UNIT;
    }

}
