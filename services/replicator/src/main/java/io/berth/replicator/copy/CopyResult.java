package io.berth.replicator.copy;

import io.berth.oci.Digest;

/**
 * What one copy did.
 *
 * @param digest the digest of the top-level manifest at the destination
 * @param bytes blob and manifest bytes sent to the destination (mounted and skipped blobs count 0)
 * @param blobsCopied blobs uploaded
 * @param blobsMounted blobs mounted from another repository of the destination
 * @param blobsSkipped blobs the destination already had in the repository
 * @param manifestsPushed manifests put (children, referrers and the artifact itself)
 * @param unchanged true when the destination already had the artifact under that tag: nothing was sent
 */
public record CopyResult(Digest digest, long bytes, int blobsCopied, int blobsMounted, int blobsSkipped,
        int manifestsPushed, boolean unchanged) {}
