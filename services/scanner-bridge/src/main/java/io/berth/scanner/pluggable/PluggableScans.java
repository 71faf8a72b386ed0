package io.berth.scanner.pluggable;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The scan requests of the built-in scanner's Pluggable Scanner API and their results, in memory:
 * the protocol only needs a report to be readable until its client has polled it, so nothing goes
 * to PostgreSQL (the scan flow's own reports do). Bounded three ways: {@code concurrent-scans}
 * threads with a queue of {@code max-queued} (more is {@link Busy}), at most {@code max-reports}
 * entries (the oldest finished one is dropped for a new request; if none has finished, Busy), and
 * a finished entry expires after {@code report-ttl}. A scan running longer than
 * {@code scan-timeout} is interrupted and fails. A restart forgets every entry: a client polling
 * then gets 404 and submits again.
 */
@ApplicationScoped
public class PluggableScans {

    private static final Logger LOG = Logger.getLogger(PluggableScans.class);

    enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** One scan request. */
    static final class Entry {
        final String id = UUID.randomUUID().toString();
        final ScanRequest request;
        final Instant createdAt = Instant.now();
        volatile State state = State.QUEUED;
        volatile ScanResult result;
        volatile String error;
        volatile Instant finishedAt;
        volatile Future<?> future;

        Entry(ScanRequest request) {
            this.request = request;
        }

        boolean finished() {
            return state == State.SUCCEEDED || state == State.FAILED;
        }

        synchronized void finish(ScanResult r, String e) {
            if (finished()) {
                return;
            }
            result = r;
            error = e;
            finishedAt = Instant.now();
            state = r != null ? State.SUCCEEDED : State.FAILED;
        }
    }

    /** No room for another scan now; try again after {@link #retryAfterSeconds}. */
    static final class Busy extends Exception {
        Busy(String message) {
            super(message);
        }
    }

    private final PluggableConfig config;
    private final BuiltinScan scanner;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;

    public PluggableScans(PluggableConfig config, BuiltinScan scanner) {
        this.config = config;
        this.scanner = scanner;
        int threads = Math.max(1, config.concurrentScans());
        this.workers = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(Math.max(1, config.maxQueued())), r -> {
                    Thread t = new Thread(r, "berth-pluggable-scan");
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-pluggable-scan-timeout");
            t.setDaemon(true);
            return t;
        });
    }

    /** Accepts {@code request}; the scan runs in the background. */
    synchronized Entry submit(ScanRequest request) throws Busy {
        purge();
        if (entries.size() >= config.maxReports()) {
            Optional<Entry> oldest = entries.values().stream().filter(Entry::finished)
                    .min(Comparator.comparing(e -> e.finishedAt));
            if (oldest.isEmpty()) {
                throw new Busy("the built-in scanner holds " + entries.size() + " unfinished scans (max-reports)");
            }
            entries.remove(oldest.get().id);
        }
        Entry entry = new Entry(request);
        try {
            entry.future = workers.submit(() -> run(entry));
        } catch (RejectedExecutionException e) {
            throw new Busy("the built-in scanner's queue is full (" + config.maxQueued() + " waiting)");
        }
        entries.put(entry.id, entry);
        timer.schedule(() -> {
            if (!entry.finished()) {
                entry.future.cancel(true);
                entry.finish(null, "the scan took longer than " + config.scanTimeout() + " and was stopped");
            }
        }, config.scanTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return entry;
    }

    /** The entry {@code id}, unless unknown or expired. */
    Optional<Entry> get(String id) {
        purge();
        return Optional.ofNullable(entries.get(id));
    }

    long retryAfterSeconds() {
        return Math.max(1, config.refreshAfter().toSeconds());
    }

    private void run(Entry entry) {
        if (entry.finished()) {
            return;
        }
        entry.state = State.RUNNING;
        try {
            entry.finish(scanner.scan(entry.request), null);
            LOG.debugf("scan %s of %s succeeded", entry.id, entry.request);
        } catch (BuiltinScan.Failure e) {
            LOG.infof("scan %s of %s failed: %s", entry.id, entry.request, e.getMessage());
            entry.finish(null, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "scan %s of %s failed unexpectedly", entry.id, entry.request);
            entry.finish(null, "the scan failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }

    private void purge() {
        Instant cutoff = Instant.now().minus(config.reportTtl());
        entries.values().removeIf(e -> e.finished() && e.finishedAt.isBefore(cutoff));
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }
}
