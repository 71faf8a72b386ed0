package io.berth.gc.service;

import io.berth.gc.config.GcConfig;
import io.berth.gc.metadata.SweepRepository;
import io.berth.storage.BlobPage;
import io.berth.storage.BlobStore;
import io.berth.storage.FilesystemBlobStore;
import io.berth.storage.ListedBlob;
import io.berth.storage.ObjectId;
import io.berth.storage.TemporaryFile;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The object store's side of a run: deletes the objects of blob rows a batch removed, at most
 * {@code berth.gc.delete-concurrency} at once, and finds orphans, objects under {@code blobs/}
 * that no blob row and no upload session names (a crash between a commit and an object delete,
 * a failed delete). An object is an orphan only once it is older than the grace window and
 * {@code berth.gc.orphan-min-age}: an upload writes its object before the row that names it.
 */
@ApplicationScoped
public class ObjectSweeper {

    /** What deleting some objects did. */
    public record Outcome(long deleted, long bytes, long failed) {
        static final Outcome NONE = new Outcome(0, 0, 0);

        Outcome plus(Outcome o) {
            return new Outcome(deleted + o.deleted, bytes + o.bytes, failed + o.failed);
        }
    }

    /** One object to delete and its size. */
    public record Doomed(UUID objectId, long size) {}

    static final int PAGE = 1000;

    private final BlobStore store;
    private final SweepRepository sweep;
    private final ExecutorService deleters;

    public ObjectSweeper(BlobStore store, SweepRepository sweep, GcConfig config) {
        this.store = store;
        this.sweep = sweep;
        this.deleters = Executors.newFixedThreadPool(config.deleteConcurrency(), Daemons.named("berth-gc-delete"));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        deleters.shutdownNow();
    }

    /** Deletes {@code objects} in parallel; a failure is counted, the object stays an orphan for a later run. */
    public Outcome delete(List<Doomed> objects, RunLog log) {
        if (objects.isEmpty()) {
            return Outcome.NONE;
        }
        List<Callable<Boolean>> tasks = new ArrayList<>(objects.size());
        for (Doomed d : objects) {
            tasks.add(() -> {
                store.delete(new ObjectId(d.objectId()));
                return true;
            });
        }
        long deleted = 0;
        long bytes = 0;
        long failed = 0;
        try {
            List<Future<Boolean>> done = deleters.invokeAll(tasks);
            for (int i = 0; i < done.size(); i++) {
                try {
                    done.get(i).get();
                    deleted++;
                    bytes += objects.get(i).size();
                } catch (ExecutionException e) {
                    failed++;
                    if (failed <= 3) {
                        log.line("could not delete object %s (a later run deletes it as an orphan): %s",
                                objects.get(i).objectId(), e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting objects", e);
        }
        return new Outcome(deleted, bytes, failed);
    }

    /**
     * Finds the orphans among all of the store's blob objects and deletes them (or, in a dry run,
     * counts them), page by page, stopping early when {@code stopped} says so.
     */
    public Outcome orphans(Duration minAge, boolean dryRun, RunLog log, BooleanSupplier stopped) {
        Instant before = Instant.now().minus(minAge);
        Outcome total = Outcome.NONE;
        ObjectId after = null;
        long listed = 0;
        do {
            BlobPage page = store.list("", after, PAGE);
            listed += page.blobs().size();
            List<UUID> ids = page.blobs().stream().map(b -> b.id().value()).toList();
            Set<UUID> named = sweep.named(ids);
            List<Doomed> doomed = new ArrayList<>();
            for (ListedBlob b : page.blobs()) {
                if (!named.contains(b.id().value()) && !b.lastModified().isAfter(before)) {
                    doomed.add(new Doomed(b.id().value(), b.size()));
                }
            }
            total = total.plus(dryRun ? counted(doomed) : deleteOrphans(doomed, log));
            after = page.next().orElse(null);
        } while (after != null && !stopped.getAsBoolean());
        log.line("orphans: %d objects listed, %d %s (%d bytes)", listed, total.deleted(),
                dryRun ? "would be deleted" : "deleted", total.bytes());
        if (store instanceof FilesystemBlobStore fs) {
            total = total.plus(temporaries(fs, before, dryRun, log));
        }
        return total;
    }

    private Outcome deleteOrphans(List<Doomed> doomed, RunLog log) {
        // A row may have come to name one since the page was checked: ask again just before.
        Set<UUID> named = sweep.named(doomed.stream().map(Doomed::objectId).toList());
        return delete(doomed.stream().filter(d -> !named.contains(d.objectId())).toList(), log);
    }

    private static Outcome counted(List<Doomed> doomed) {
        return new Outcome(doomed.size(), doomed.stream().mapToLong(Doomed::size).sum(), 0);
    }

    /** The filesystem store's leftovers of interrupted writes, older than the same age. */
    private static Outcome temporaries(FilesystemBlobStore fs, Instant before, boolean dryRun, RunLog log) {
        List<TemporaryFile> leftovers = fs.listTemporaries(before);
        long bytes = 0;
        long failed = 0;
        for (TemporaryFile t : leftovers) {
            bytes += t.size();
            if (!dryRun) {
                try {
                    fs.deleteTemporary(t);
                } catch (RuntimeException e) {
                    failed++;
                }
            }
        }
        if (!leftovers.isEmpty()) {
            log.line("filesystem leftovers: %d %s (%d bytes)", leftovers.size(), dryRun ? "would be removed" : "removed", bytes);
        }
        return new Outcome(leftovers.size() - failed, bytes, failed);
    }
}
