package io.berth.replicator.copy;

import io.berth.replicator.policy.Filters;
import io.berth.replicator.remote.RegistryClient;
import java.util.function.BooleanSupplier;

/**
 * One artifact to copy (ADR 0038): from {@code source}'s {@code srcRepository} at
 * {@code srcReference} (a tag or a digest) to {@code destination}'s {@code dstRepository}, tagged
 * {@code dstTag} (null: by digest only).
 *
 * @param filters the policy's filters: which platforms of an index, and whether referrers travel
 * @param overwrite whether an existing {@code dstTag} pointing at another digest is moved
 * @param speedKib the bandwidth limit in KiB/s, 0 unlimited
 * @param stopRequested asked between blobs and while bytes stream; true ends the copy with
 *     {@link CopyStopped}
 */
public record CopyRequest(RegistryClient source, String srcRepository, String srcReference, RegistryClient destination,
        String dstRepository, String dstTag, Filters filters, boolean overwrite, int speedKib,
        BooleanSupplier stopRequested) {}
