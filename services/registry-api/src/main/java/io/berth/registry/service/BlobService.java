package io.berth.registry.service;

import io.berth.oci.Digest;
import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.metadata.BlobRepository;
import io.berth.registry.metadata.Repository;
import io.berth.registry.metadata.RepositoryRepository;
import io.berth.registry.metadata.StoredBlob;
import io.berth.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading, mounting and unlinking blobs. A repository sees a blob only through its link, so a
 * digest stored for another repository is still BLOB_UNKNOWN here. Metadata comes from
 * PostgreSQL; the object store is touched only for the bytes themselves.
 */
@ApplicationScoped
public class BlobService {

    private final RepositoryRepository repositories;
    private final BlobRepository blobs;
    private final BlobStore store;
    private final RegistryConfig config;
    private final ProjectPolicy policy;

    public BlobService(RepositoryRepository repositories, BlobRepository blobs, BlobStore store, RegistryConfig config,
            ProjectPolicy policy) {
        this.policy = policy;
        this.repositories = repositories;
        this.blobs = blobs;
        this.store = store;
        this.config = config;
    }

    /**
     * The blob as linked into the repository.
     *
     * @throws RegistryException BLOB_UNKNOWN if the repository does not link it (or does not exist)
     */
    public StoredBlob find(RepositoryName name, Digest digest) {
        return blobs.findLinked(name.value(), digest).orElseThrow(() -> unknown(digest));
    }

    /** The entity that sends {@code length} bytes of the blob from {@code offset} (-1: to the end). */
    public BlobBody source(StoredBlob blob, long offset, long length) {
        return new BlobBody(blob.objectId(), offset, length, blob.digest());
    }

    /**
     * Where the client may fetch the blob itself, when {@code berth.registry.blobs.redirect} is on
     * and the store can say (S3's presigned URL); else empty, and berth sends the bytes.
     */
    public Optional<URI> redirect(StoredBlob blob) {
        return config.blobs().redirect()
                ? store.redirect(blob.objectId(), config.blobs().redirectTtl())
                : Optional.empty();
    }

    /**
     * Cross-repository mount: links the blob into {@code name} if it may be taken from the source.
     * With {@code from}, the source is that repository (authorization is issue #4's). Without it,
     * berth looks only in the repositories of {@code name}'s own project: a pusher there may read
     * them, whereas a registry-wide lookup would let anyone who guesses a digest link (and so
     * read) another project's private layer.
     *
     * @param from the repository to mount from, or null
     * @return the blob if it was linked; empty when the caller must upload it (answered with a session)
     * @throws RegistryException NAME_UNKNOWN if the target project does not exist, DENIED
     *     ({@link QuotaExceededException}) if the blob does not fit the target project's quota
     */
    public Optional<StoredBlob> mount(RepositoryName name, Digest digest, RepositoryName from) {
        return policy.recordingRefusals(() -> {
            Repository target = repositories.findOrCreate(name);
            Optional<StoredBlob> source = from != null
                    ? blobs.findLinked(from.value(), digest)
                    : blobs.findLinkedInProject(target.projectId(), digest);
            if (source.isEmpty()) {
                return source;
            }
            ProjectPolicy.Guard guard = policy.lock(target.projectId());
            // Held until commit, so gc cannot delete it under the link (ADR 0027); gone already:
            // the client uploads it, as for any mount that cannot be served.
            Optional<StoredBlob> held = blobs.hold(digest);
            if (held.isEmpty()) {
                return held;
            }
            guard.measure(List.of(digest.toString()), List.of());
            blobs.link(target.id(), digest);
            guard.settle(name);
            return held;
        });
    }

    /**
     * Unlinks the blob from the repository, and no longer counts it for the project unless
     * another of its links or a manifest still holds it. The bytes stay: other repositories may
     * link them, and gc removes what nothing references after its grace period.
     *
     * @throws RegistryException BLOB_UNKNOWN if the repository does not link it
     */
    public void delete(RepositoryName name, Digest digest) {
        QuarkusTransaction.requiringNew().run(() -> {
            Repository repository = repositories.find(name).orElseThrow(() -> unknown(digest));
            ProjectPolicy.Guard guard = policy.lock(repository.projectId());
            guard.measure(List.of(digest.toString()), List.of());
            if (!blobs.unlink(repository.id(), digest)) {
                throw unknown(digest);
            }
            guard.settle(name);
        });
    }

    private static RegistryException unknown(Digest digest) {
        return RegistryException.of(RegistryErrorCode.BLOB_UNKNOWN, Map.of("digest", digest.toString()));
    }
}
