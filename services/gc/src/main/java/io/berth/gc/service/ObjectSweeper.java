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
import java.util.HashSet;
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
    /** The most keys one S3 {@code DeleteObjects} takes. */
    static final int MAX_SLICE = 1000;

    private final BlobStore store;
    private final SweepRepository sweep;
    private final ExecutorService deleters;
    private final int concurrency;

    public ObjectSweeper(BlobStore store, SweepRepository sweep, GcConfig config) {
        this.store = store;
        this.sweep = sweep;
        this.concurrency = config.deleteConcurrency();
        this.deleters = Executors.newFixedThreadPool(config.deleteConcurrency(), Daemons.named("berth-gc-delete"));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        deleters.shutdownNow();
    }

    /**
     * Deletes {@code objects}: split into up to {@code berth.gc.delete-concurrency} slices of at
     * most 1000 that go at once, each with as few requests as the store allows
     * ({@link BlobStore#deleteAll}: one S3 {@code DeleteObjects} per slice). A failure is
     * counted; the object stays, an orphan for a later run.
     */
    public Outcome delete(List<Doomed> objects, RunLog log) {
        if (objects.isEmpty()) {
            return Outcome.NONE;
        }
        int slice = Math.min(MAX_SLICE, Math.max(1, (objects.size() + concurrency - 1) / concurrency));
        List<Callable<List<ObjectId>>> tasks = new ArrayList<>();
        for (int from = 0; from < objects.size(); from += slice) {
            List<ObjectId> ids = objects.subList(from, Math.min(objects.size(), from + slice)).stream()
                    .map(d -> new ObjectId(d.objectId())).toList();
            tasks.add(() -> store.deleteAll(ids));
        }
        Set<UUID> failed = new HashSet<>();
        try {
            List<Future<List<ObjectId>>> done = deleters.invokeAll(tasks);
            for (int i = 0; i < done.size(); i++) {
                try {
                    done.get(i).get().forEach(id -> failed.add(id.value()));
                } catch (ExecutionException e) {
                    int from = i * slice;
                    objects.subList(from, Math.min(objects.size(), from + slice)).forEach(d -> failed.add(d.objectId()));
                    log.line("could not delete %d objects (a later run deletes them as orphans): %s",
                            Math.min(slice, objects.size() - from), e.getCause().getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting objects", e);
        }
        long bytes = objects.stream().filter(d -> !failed.contains(d.objectId())).mapToLong(Doomed::size).sum();
        return new Outcome(objects.size() - failed.size(), bytes, failed.size());
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
