package io.berth.replicator.copy;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Manifest;
import io.berth.oci.Platform;
import io.berth.replicator.policy.Filters;
import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;
import io.berth.replicator.remote.RemoteManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One copy of {@link ArtifactCopier}: the artifact's manifest tree (an image's blobs, an index's
 * selected children), then its referrers ({@link ReferrerCopy}), with the counts of what was
 * sent. One per {@link CopyRequest}, run by one thread; an image's blobs go on
 * {@link ArtifactCopier}'s blob threads, so what they touch (counters, log, throttle) is
 * thread-safe.
 */
final class CopyRun {

    /** An attestation child of an index (buildx) names the child it describes here. */
    static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";

    final ArtifactCopier copier;
    final CopyRequest request;
    final CopyLog log;
    final RegistryClient source;
    final RegistryClient destination;
    final Throttle throttle;
    long manifestBytes;
    final AtomicInteger blobsCopied = new AtomicInteger();
    final AtomicInteger blobsMounted = new AtomicInteger();
    final AtomicInteger blobsSkipped = new AtomicInteger();
    int manifestsPushed;

    CopyRun(ArtifactCopier copier, CopyRequest request, CopyLog log) {
        this.copier = copier;
        this.request = request;
        // An image's blobs are copied in parallel: their log lines must not interleave mid-line.
        this.log = text -> {
            synchronized (this) {
                log.line(text);
            }
        };
        this.source = request.source();
        this.destination = request.destination();
        this.throttle = new Throttle(request.speedKib(), request.stopRequested());
    }

    CopyResult run() {
        checkStop();
        RemoteManifest src = source.getManifest(request.srcRepository(), request.srcReference());
        Manifest m = Manifests.parse(src, request.srcRepository());
        Filters.Kind kind = Filters.kindOf(m.mediaType(), m.artifactType(), m.subject() != null);
        if (!request.filters().matchesKind(kind)) {
            throw new CopyRefused(CopyRefused.Reason.FILTERED, request.srcRepository() + "@" + src.digest() + " is of"
                    + " kind " + kind.wire() + (m.artifactType() == null ? "" : " (" + m.artifactType() + ")")
                    + ", which the policy does not copy");
        }
        String tag = request.dstTag();
        String where = request.dstRepository() + (tag == null ? "@" + src.digest() : ":" + tag);
        Optional<RemoteManifest> there = destination.headManifest(request.dstRepository(),
                tag == null ? src.digest().toString() : tag);
        boolean unchanged = there.isPresent() && there.get().digest().equals(src.digest());
        if (there.isPresent() && !unchanged && !request.overwrite()) {
            throw new CopyRefused(CopyRefused.Reason.EXISTS, where + " exists at the destination with digest "
                    + there.get().digest() + "; the policy does not overwrite");
        }
        List<Digest> subjects = new ArrayList<>(List.of(src.digest()));
        if (unchanged) {
            log.line(where + " is already " + src.digest() + " at the destination");
            m.manifests().stream().filter(c -> selected(c, m.manifests())).forEach(c -> subjects.add(c.digest()));
        } else if (tag != null && destination.headManifest(request.dstRepository(), src.digest().toString())
                .isPresent()) {
            // The manifest is there by digest (another tag, or a copy cut short): only the tag moves.
            log.line("manifest " + src.digest() + " exists at the destination");
            m.manifests().stream().filter(c -> selected(c, m.manifests())).forEach(c -> subjects.add(c.digest()));
            put(src, m, tag, List.of());
        } else {
            subjects.addAll(copyTree(src, m, tag == null ? src.digest().toString() : tag));
        }
        ReferrerCopy referrers = new ReferrerCopy(this);
        if (m.subject() != null && !unchanged) {
            referrers.listed(m); // a signature copied on its own: its subject's list there names it
        }
        if (request.filters().referrers()) {
            referrers.copy(subjects);
        }
        long bytes = throttle.read() + manifestBytes;
        return new CopyResult(src.digest(), bytes, blobsCopied.get(), blobsMounted.get(), blobsSkipped.get(),
                manifestsPushed,
                unchanged && manifestsPushed == 0 && bytes == 0);
    }

    /**
     * Copies a manifest that is not at the destination yet, with what it needs, and puts it
     * under {@code reference}; returns the digests of the index children that were copied or
     * found (the subjects whose referrers travel too).
     */
    List<Digest> copyTree(RemoteManifest src, Manifest m, String reference) {
        List<Digest> children = new ArrayList<>();
        if (!m.isIndex()) {
            List<Descriptor> blobs = m.blobReferences();
            List<Integer> external = Manifests.externalLayers(src.bytes());
            List<Descriptor> wanted = new ArrayList<>();
            for (int i = 0; i < blobs.size(); i++) {
                // config is blobs[0]: layer i-1 is blobs[i]
                if (i > 0 && external.contains(i - 1)) {
                    log.line("layer " + blobs.get(i).digest() + " is non-distributable (it has urls): not copied");
                    continue;
                }
                wanted.add(blobs.get(i));
            }
            copyBlobs(wanted);
            put(src, m, reference, List.of());
            return children;
        }
        List<String> absent = new ArrayList<>();
        for (Descriptor child : m.manifests()) {
            if (!selected(child, m.manifests())) {
                absent.add(platform(child));
                continue;
            }
            checkStop();
            children.add(child.digest());
            if (destination.headManifest(request.dstRepository(), child.digest().toString()).isPresent()) {
                log.line("manifest " + child.digest() + " (" + platform(child) + ") exists at the destination");
                continue;
            }
            RemoteManifest c = source.getManifest(request.srcRepository(), child.digest().toString());
            children.addAll(copyTree(c, Manifests.parse(c, request.srcRepository()), child.digest().toString()));
        }
        if (!absent.isEmpty()) {
            log.line("index " + src.digest() + ": platforms not selected, left out: " + String.join(", ", absent));
        }
        put(src, m, reference, absent);
        return children;
    }

    /** Puts a manifest's original bytes; with {@code absent} platforms, a refusal names them. */
    RegistryClient.ManifestPut put(RemoteManifest src, Manifest m, String reference, List<String> absent) {
        checkStop();
        RegistryClient.ManifestPut put;
        try {
            put = destination.pushManifest(request.dstRepository(), reference, m.mediaType(), src.bytes());
        } catch (RemoteException e) {
            if (!absent.isEmpty() && e.status() >= 400 && e.status() < 500) {
                throw new RemoteException(RemoteException.Reason.REJECTED, "the destination "
                        + destination.target().url() + " refuses sparse indexes: index " + src.digest() + " of "
                        + request.srcRepository() + " was copied without its platforms " + String.join(", ", absent)
                        + " (not selected by the policy), and the destination answered: " + e.getMessage(),
                        e.status(), e);
            }
            throw e;
        }
        manifestsPushed++;
        manifestBytes += src.bytes().length;
        if (m.subject() != null) {
            copier.referrersApi(destination, put.subject() != null);
        }
        log.line("manifest " + src.digest() + " (" + Sizes.of(src.bytes().length) + ") put "
                + (reference.contains(":") ? "by digest" : "as tag " + reference) + " in " + request.dstRepository());
        return put;
    }

    /**
     * Copies {@code blobs}, up to {@link ArtifactCopier#PARALLEL_BLOBS} at once (as docker and
     * skopeo do: one stream rarely fills the link, and an image's layers are independent). The
     * first failure ends the others and is thrown.
     */
    void copyBlobs(List<Descriptor> blobs) {
        if (blobs.size() <= 1) {
            blobs.forEach(this::copyBlob);
            return;
        }
        Semaphore slots = new Semaphore(ArtifactCopier.PARALLEL_BLOBS);
        List<Future<?>> running = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (Descriptor blob : blobs) {
                slots.acquire();
                if (failure == null) {
                    failure = firstFailure(running, false);
                }
                if (failure != null) {
                    slots.release();
                    break;
                }
                running.add(copier.blobThreads.submit(() -> {
                    try {
                        copyBlob(blob);
                    } finally {
                        slots.release();
                    }
                }));
            }
            RuntimeException last = firstFailure(running, true);
            failure = failure != null ? failure : last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(f -> f.cancel(true));
            throw new CopyStopped("interrupted while copying blobs");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The first failure among {@code running} (those done, or all of them if {@code wait}); on a
     * failure the others are cancelled.
     */
    private static RuntimeException firstFailure(List<Future<?>> running, boolean wait) throws InterruptedException {
        for (Future<?> f : running) {
            if (!wait && !f.isDone()) {
                continue;
            }
            try {
                f.get();
            } catch (CancellationException e) {
                // cancelled after another's failure, which is the one reported
            } catch (ExecutionException e) {
                running.forEach(other -> other.cancel(true));
                return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return null;
    }

    void copyBlob(Descriptor blob) {
        checkStop();
        Digest digest = blob.digest();
        String repository = request.dstRepository();
        OptionalLong there = destination.blobSize(repository, digest);
        if (there.isPresent()) {
            blobsSkipped.incrementAndGet();
            copier.locations.seen(ArtifactCopier.key(destination), digest, repository);
            log.line("blob " + digest + " (" + Sizes.of(blob.size()) + ") exists");
            return;
        }
        String from = copier.locations.find(ArtifactCopier.key(destination), digest);
        if (repository.equals(from)) {
            from = null;
        }
        long start = System.nanoTime();
        RegistryClient.Upload how = upload(blob, from);
        copier.locations.seen(ArtifactCopier.key(destination), digest, repository);
        if (how == RegistryClient.Upload.MOUNTED) {
            blobsMounted.incrementAndGet();
            log.line("blob " + digest + " (" + Sizes.of(blob.size()) + ") mounted from " + from);
        } else {
            blobsCopied.incrementAndGet();
            log.line("blob " + digest + " (" + Sizes.of(blob.size()) + ") uploaded in "
                    + Sizes.seconds(System.nanoTime() - start));
        }
    }

    private RegistryClient.Upload upload(Descriptor blob, String from) {
        RemoteException[] sourceFailure = new RemoteException[1];
        Supplier<InputStream> open = () -> {
            try {
                return throttle.wrap(source.openBlob(request.srcRepository(), blob.digest()));
            } catch (RemoteException e) {
                sourceFailure[0] = e; // the JDK would report it as the destination's I/O failure
                throw new UncheckedIOException(new IOException(e.getMessage(), e));
            }
        };
        boolean chunked = copier.chunkedOnly(destination);
        try {
            try {
                return chunked ? destination.pushBlobChunked(request.dstRepository(), blob.digest(), blob.size(), open,
                        from, ArtifactCopier.CHUNK) : destination.pushBlob(request.dstRepository(), blob.digest(),
                        blob.size(), open, from, 0);
            } catch (RemoteException e) {
                if (chunked || !ArtifactCopier.monolithicRefused(e) || throttle.stopped() || sourceFailure[0] != null) {
                    throw e;
                }
                copier.refusesMonolithic(destination);
                log.line("the destination refuses blobs in one PUT (" + e.status() + "): sending chunks of "
                        + Sizes.of(ArtifactCopier.CHUNK) + " from now on");
                return destination.pushBlobChunked(request.dstRepository(), blob.digest(), blob.size(), open, null,
                        ArtifactCopier.CHUNK);
            }
        } catch (RemoteException e) {
            if (throttle.stopped()) {
                throw new CopyStopped("stopped while sending blob " + blob.digest());
            }
            if (sourceFailure[0] != null) {
                throw sourceFailure[0];
            }
            throw e;
        }
    }

    void checkStop() {
        if (throttle.stopRequested()) {
            throw new CopyStopped("stopped: the execution was asked to stop");
        }
    }

    /**
     * Whether an index child travels: a platform the filters select; a child without a platform
     * always; an attestation (buildx's {@code vnd.docker.reference.type}) with the child it describes.
     */
    boolean selected(Descriptor child, List<Descriptor> all) {
        String type = child.annotations().get(REFERENCE_TYPE);
        String of = child.annotations().get(REFERENCE_DIGEST);
        if (type != null && of != null) {
            return all.stream().filter(c -> c.digest().toString().equals(of) && c != child).findFirst()
                    .map(this::platformSelected).orElse(true);
        }
        return platformSelected(child);
    }

    private boolean platformSelected(Descriptor child) {
        Platform p = child.platform();
        return p == null || request.filters().matchesPlatform(p.os(), p.architecture(), p.variant());
    }

    private static String platform(Descriptor child) {
        Platform p = child.platform();
        return p == null ? child.digest().toString() : p.toString();
    }
}
