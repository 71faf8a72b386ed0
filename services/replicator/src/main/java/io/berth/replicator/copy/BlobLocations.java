package io.berth.replicator.copy;

import io.berth.oci.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the copier last saw each blob at each destination (digest to repository), so a blob that
 * one repository there already has is mounted into another instead of sent again. Bounded: the
 * least recently used entries go first, per destination and over destinations. A stale entry
 * costs nothing but a declined mount (the registry then takes the upload).
 */
final class BlobLocations {

    private final int perDestination;
    private final Map<String, Map<Digest, String>> byDestination;

    BlobLocations(int destinations, int perDestination) {
        this.perDestination = perDestination;
        this.byDestination = lru(destinations);
    }

    /** A repository of {@code destination} that had {@code digest}, or null. */
    synchronized String find(String destination, Digest digest) {
        Map<Digest, String> blobs = byDestination.get(destination);
        return blobs == null ? null : blobs.get(digest);
    }

    synchronized void seen(String destination, Digest digest, String repository) {
        byDestination.computeIfAbsent(destination, d -> lru(perDestination)).put(digest, repository);
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
