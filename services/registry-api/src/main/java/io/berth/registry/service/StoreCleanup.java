package io.berth.registry.service;

import io.berth.registry.metadata.UploadSession;
import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Removes objects that no row refers to any more (the new copy of a blob already stored, a tail
 * after its commit) after the request that made them garbage has been answered: deleting a
 * large object takes the store tens of milliseconds, which no client should wait for. A delete
 * that fails or never runs (the replica stopped first) leaves an object no row names, which only
 * costs space: gc's sweep of unreferenced objects under {@code blobs/} and {@code uploads/}
 * removes it.
 *
 * <p>One thread, and at most {@value #QUEUED} deletes waiting: when the store is slower than the
 * garbage comes (an outage), further deletes are left for gc instead of piling up in memory.
 */
@ApplicationScoped
public class StoreCleanup {

    private static final Logger LOG = Logger.getLogger(StoreCleanup.class);

    /** Deletes that may wait for the thread; beyond them, gc removes the objects. */
    static final int QUEUED = 10_000;

    private final BlobStore store;
    private final ThreadPoolExecutor deletes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED), r -> {
                Thread t = new Thread(r, "berth-store-cleanup");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());

    public StoreCleanup(BlobStore store) {
        this.store = store;
    }

    /** Deletes blob object {@code id} soon. */
    void deleteObject(ObjectId id) {
        submit(() -> store.delete(id), "object " + id);
    }

    /** Deletes the tail of upload {@code uploadId} soon. */
    void deleteTail(UUID uploadId) {
        submit(() -> store.deleteTail(uploadId), "the tail of upload " + uploadId);
    }

    /** Aborts the multipart upload of a session whose row is gone and deletes its objects, soon. */
    void discardUpload(UploadSession session) {
        submit(() -> {
            if (session.s3UploadId() != null) {
                store.abortMultipart(session.objectId(), session.s3UploadId());
            }
            store.delete(session.objectId());
            store.deleteTail(session.id());
        }, "the bytes of upload " + session.id());
    }

    private void submit(Runnable delete, String what) {
        try {
            deletes.execute(() -> {
                try {
                    delete.run();
                } catch (RuntimeException e) {
                    LOG.warnf("could not delete %s, which nothing refers to (gc will): %s", what, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            if (deletes.isShutdown()) {
                LOG.debugf("shutting down; %s is left for gc", what);
            } else {
                LOG.warnf("%d deletes are waiting already; %s is left for gc", QUEUED, what);
            }
        }
    }

    /** Lets queued deletes finish, for a few seconds at most. */
    @PreDestroy
    void stop() {
        deletes.shutdown();
        try {
            deletes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
