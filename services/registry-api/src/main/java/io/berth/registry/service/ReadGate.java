package io.berth.registry.service;

import io.berth.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds how many manifest reads query PostgreSQL at once
 * ({@code berth.registry.manifest-read-concurrency}). Under a burst of pulls, every request holds
 * a worker thread and, without this, a database connection and a busy backend process: dozens
 * of runnable threads on a few cores, and the scheduler's time slices show up as a latency tail
 * of tens of milliseconds. Waiting here costs nothing (a blocked thread is not runnable), and
 * each read is a single indexed query of well under a millisecond.
 */
@ApplicationScoped
public class ReadGate {

    private final Semaphore permits;

    @Inject
    public ReadGate(RegistryConfig config) {
        this(config.manifestReadConcurrency() > 0 ? config.manifestReadConcurrency()
                : 2 * Runtime.getRuntime().availableProcessors());
    }

    ReadGate(int concurrency) {
        this.permits = new Semaphore(concurrency, true);
    }

    /** Runs {@code read} once a permit is free. */
    public <T> T read(Supplier<T> read) {
        permits.acquireUninterruptibly();
        try {
            return read.get();
        } finally {
            permits.release();
        }
    }
}
