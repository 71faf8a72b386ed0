package io.berth.replicator.copy;

import io.berth.replicator.remote.RegistryClient;
import io.berth.replicator.remote.RemoteException;

/**
 * Copies artifacts between two registries (ADR 0038); both ends are {@link RegistryClient}s,
 * berth itself included. Implemented by {@code ArtifactCopier}.
 */
public interface Copier {

    /**
     * Copies one artifact with what it needs (blobs, an index's children of the selected
     * platforms, and its referrers if the filters include them), sending only what the destination
     * lacks.
     *
     * @throws RemoteException when either end fails; {@code transientFailure()} says whether a
     *     retry may succeed
     * @throws CopyRefused when the copy must not happen: the tag exists at the destination with
     *     another digest and overwrite is off, or the artifact's kind is not selected
     */
    CopyResult copy(CopyRequest request, CopyLog log);

    /**
     * Deletes {@code reference} (a digest: the manifest with every tag; a tag: that tag only) from
     * {@code repository} at {@code destination}; a reference already absent is success.
     *
     * @return false if it was already absent
     * @throws RemoteException when the destination fails or refuses
     */
    boolean delete(RegistryClient destination, String repository, String reference, CopyLog log);
}
