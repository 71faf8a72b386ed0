package io.berth.workers;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One replica's workers on a queue of claimed rows (scan jobs, replication tasks): a queue thread
 * that claims due items and says the running ones are still held (a lease renewed, a heartbeat),
 * and {@code concurrency} worker threads. The queue thread polls every {@code pollInterval}, and
 * at once when {@link #wake()}d (work queued in this replica, an item ended); it renews every
 * {@code renewInterval}. Stopping interrupts the running items and gives them back to the queue
 * ({@link Claims#release()}).
 *
 * <p>Threads: {@code berth-<name>-queue} and {@code berth-<name>-1..n}, daemons, nothing else.
 * What the rows are, and the SQL that claims, renews and releases them, is the service's
 * {@link Claims} and runner.
 *
 * @param <T> a claimed item; the pool keeps the running ones in a set, so equal items must be
 *     the same row
 */
public final class WorkerPool<T> {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    /**
     * How one service's pool claims items, keeps them and gives them back. The pool calls
     * {@code claim} and {@code renew} from its queue thread, {@code release} from the thread that
     * stops it.
     */
    public interface Claims<T> {

        /**
         * Claims at most {@code free} due items for this pool's owner. Called at every poll, with
         * {@code free} 0 too when every worker is busy (then it claims nothing, but may do what
         * each poll does, such as taking back the items of dead owners). If it throws, the pool
         * logs it and polls again at the next tick.
         */
        List<T> claim(int free) throws Exception;

        /** Says that these running items are still held (renews their leases, heart-beats). */
        void renew(List<T> running) throws Exception;

        /** Gives this owner's running items back to the queue at stop; returns how many. */
        int release() throws Exception;

        /** An item was claimed ({@code running} counts it); called before it runs. */
        default void started(int running) {
        }

        /** An item's run ended ({@code running} no longer counts it); called from its worker thread. */
        default void ended(int running) {
        }
    }

    /**
     * How a pool runs.
     *
     * @param name the threads' and log lines' name ({@code scan}, {@code replication})
     * @param items what the log calls the items ({@code jobs}, {@code tasks})
     * @param owner the name this pool claims items under, unique per replica and start
     * @param concurrency worker threads, at least 1
     * @param setting the configuration key of {@code concurrency}, named if it is below 1
     * @param pollInterval how often the queue thread claims when nothing wakes it
     * @param renewInterval how often it renews the running items
     */
    public record Settings(String name, String items, String owner, int concurrency, String setting,
            Duration pollInterval, Duration renewInterval) {

        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException(setting + " must be at least 1, got " + concurrency);
            }
        }
    }

    private final Settings settings;
    private final Claims<T> claims;
    private final Consumer<T> runner;
    private final Set<T> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private ScheduledExecutorService queue;
    private ExecutorService workers;

    /**
     * A stopped pool whose worker threads run each claimed item with {@code runner}. The runner's
     * thread is interrupted when the pool stops; an exception it throws is logged, and the item is
     * left to be taken over when its claim runs out.
     */
    public WorkerPool(Settings settings, Claims<T> claims, Consumer<T> runner) {
        this.settings = settings;
        this.claims = claims;
        this.runner = runner;
    }

    /**
     * An owner name {@code <host>/<random>}, new at each call, so that a restarted replica never
     * mistakes a dead run's items for its own; {@code fallbackHost} if the host has no name.
     */
    public static String ownerName(String fallbackHost) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = fallbackHost;
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The name this pool claims items under. */
    public String owner() {
        return settings.owner();
    }

    /** How many items this pool runs now. */
    public int running() {
        return running.size();
    }

    /** Starts the queue and worker threads; nothing if they run. */
    public synchronized void start() {
        if (queue != null) {
            return;
        }
        String prefix = "berth-" + settings.name() + "-";
        queue = Executors.newSingleThreadScheduledExecutor(named(prefix + "queue"));
        int[] n = {0};
        workers = Executors.newFixedThreadPool(settings.concurrency(), r -> named(prefix + (++n[0])).newThread(r));
        queue.scheduleWithFixedDelay(this::poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        long renewEvery = settings.renewInterval().toMillis();
        queue.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        LOG.infof("%s workers %s started: %d at once", settings.name(), owner(), settings.concurrency());
    }

    /** Stops claiming, interrupts running items and gives them back to the queue. */
    public synchronized void stop() {
        if (queue == null) {
            return;
        }
        queue.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            queue.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue = null;
        workers = null;
        try {
            int n = claims.release();
            if (n > 0) {
                LOG.infof("%s workers %s stopped, %d running %s given back to the queue", settings.name(), owner(), n,
                        settings.items());
            }
        } catch (Exception e) {
            LOG.warnf("%s workers %s stopped; their running %s are taken over later: %s", settings.name(), owner(),
                    settings.items(), e.getMessage());
        }
        running.clear();
    }

    /** Polls now rather than at the next tick (coalesced: many wakes, one poll). */
    public void wake() {
        ScheduledExecutorService q = queue;
        if (q != null && wakePending.compareAndSet(false, true)) {
            try {
                q.execute(() -> {
                    wakePending.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) {
                wakePending.set(false); // stopping
            }
        }
    }

    private void poll() {
        try {
            int free = Math.max(settings.concurrency() - running.size(), 0);
            for (T item : claims.claim(free)) {
                running.add(item);
                claims.started(running.size());
                workers.execute(() -> runOne(item));
            }
        } catch (Exception e) {
            LOG.warnf("%s workers %s could not poll the queue: %s", settings.name(), owner(), e.getMessage());
        }
    }

    private void runOne(T item) {
        try {
            runner.accept(item);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "%s broke its worker; it is taken over when its claim runs out", item);
        } finally {
            running.remove(item);
            claims.ended(running.size());
            wake();
        }
    }

    private void renew() {
        List<T> items = new ArrayList<>(running);
        if (items.isEmpty()) {
            return;
        }
        try {
            claims.renew(items);
        } catch (Exception e) {
            LOG.warnf("%s workers %s could not renew their claims: %s", settings.name(), owner(), e.getMessage());
        }
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
