package io.berth.scanner.inventory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tar entry names as paths of the image's filesystem. A name is only ever used as a key: the
 * inventory never touches the disk by an entry's name, so {@code ../} cannot escape anything;
 * it is still normalised so that {@code ./etc/../var/lib/dpkg/status}, {@code /var/lib/dpkg/status}
 * and {@code var//lib/dpkg/status} are the one file a later layer can replace or delete.
 */
final class EntryPaths {

    private EntryPaths() {
    }

    /**
     * The normalised path: no leading slash, no {@code .} or empty segments, {@code ..} resolved
     * and clamped at the root (as a container runtime does), no trailing slash. Empty for the root.
     */
    static String normalise(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(segment);
            }
        }
        return String.join("/", parts);
    }

    /** The last segment of a normalised path. */
    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The directory of a normalised path, empty for a file at the root. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
