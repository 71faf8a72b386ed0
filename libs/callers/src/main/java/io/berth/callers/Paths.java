package io.berth.callers;

import java.net.URI;
import java.net.URISyntaxException;

/** Request paths as the resource that serves them sees them. */
public final class Paths {

    private Paths() {}

    /**
     * The path with dot segments resolved: {@code /api/v1/projects/p/../../scanners} is
     * {@code /api/v1/scanners}, so a filter that judges paths before matching is not fooled.
     */
    public static String normalize(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        try {
            return new URI(null, null, path, null).normalize().getPath();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
