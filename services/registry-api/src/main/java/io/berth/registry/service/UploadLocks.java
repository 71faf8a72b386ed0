package io.berth.registry.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per upload session on this replica, so two requests for the same session never
 * interleave their bytes here. One lock each (not a fixed stripe) because a PATCH can hold it for
 * minutes and must not hold up unrelated uploads. Across replicas the row's compare-and-set guards.
 */
@ApplicationScoped
public class UploadLocks {

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<UUID, Holder> locks = new ConcurrentHashMap<>();

    /** Runs {@code action} holding the session's lock, waiting for an earlier request to finish. */
    <T> T withLock(UUID uploadId, Supplier<T> action) {
        Holder h = locks.compute(uploadId, (k, v) -> {
            Holder holder = v == null ? new Holder() : v;
            holder.users++;
            return holder;
        });
        h.lock.lock();
        try {
            return action.get();
        } finally {
            h.lock.unlock();
            locks.computeIfPresent(uploadId, (k, v) -> --v.users == 0 ? null : v);
        }
    }
}
