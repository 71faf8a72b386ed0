package io.berth.replicator.copy;

import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The copy engine (ADR 0040): copies one artifact from a source registry to a destination
 * registry, sending only what the destination lacks. A blob the destination repository has is
 * skipped (HEAD), one another repository there has is mounted, the rest is streamed from the
 * source to the destination through a {@link Throttle}, never held in memory, up to
 * {@value #PARALLEL_BLOBS} blobs of an image at once. Manifests keep their
 * exact bytes (an index's too, when only some platforms travel), so digests and signatures hold.
 *
 * <p>What it learns about each destination lasts for the life of the service: where it has seen
 * blobs (for mounts), whether it refuses monolithic uploads (then 16 MiB chunks), and whether it
 * has the referrers API (else the {@code sha256-<hex>} tag schema is kept up to date there).
 * There is no retry inside: a failed copy is retried by the task queue, and since only what is
 * missing is sent, a retry resumes where the failure stopped.
 */
@ApplicationScoped
public class ArtifactCopier implements Copier {

    /** The chunk size for destinations that refuse a blob in one PUT. */
    static final long CHUNK = 16L * 1024 * 1024;

    /** How many blobs of one image are copied at once (docker pushes 5 at once, skopeo 6). */
    static final int PARALLEL_BLOBS = 4;

    final BlobLocations locations = new BlobLocations(64, 10_000);
    /** The threads blobs are copied on: as many as copies need, idle ones go after a minute. */
    final ExecutorService blobThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new ThreadFactory() {
                private final AtomicInteger n = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "berth-replication-blob-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });
    private final Set<String> chunkedOnly = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> referrersApi = new ConcurrentHashMap<>();

    @Override
    public CopyResult copy(CopyRequest request, CopyLog log) {
        return new CopyRun(this, request, log == null ? CopyLog.NONE : log).run();
    }

    @Override
    public boolean delete(RegistryClient destination, String repository, String reference, CopyLog log) {
        // A tag on a registry that only deletes manifests fails clearly (RegistryClient says so):
        // deleting the digest the tag points at would take every other tag on it too.
        boolean deleted = destination.deleteManifest(repository, reference);
        (log == null ? CopyLog.NONE : log).line(deleted ? "deleted " + reference + " in " + repository
                : reference + " in " + repository + " was already absent");
        return deleted;
    }

    boolean chunkedOnly(RegistryClient destination) {
        return chunkedOnly.contains(key(destination));
    }

    void refusesMonolithic(RegistryClient destination) {
        chunkedOnly.add(key(destination));
    }

    /** Whether the destination has the referrers API: true, false, or null when not known yet. */
    Boolean referrersApi(RegistryClient destination) {
        return referrersApi.get(key(destination));
    }

    void referrersApi(RegistryClient destination, boolean has) {
        referrersApi.put(key(destination), has);
    }

    static String key(RegistryClient client) {
        return client.target().url().toString();
    }

    /** Whether an upload failed because the destination will not take a blob in one PUT. */
    static boolean monolithicRefused(RemoteException e) {
        int s = e.status();
        return s == 413 || s == 405 || s == 501 || (s == 400 && e.getMessage().contains("BLOB_UPLOAD_INVALID"));
    }
}
