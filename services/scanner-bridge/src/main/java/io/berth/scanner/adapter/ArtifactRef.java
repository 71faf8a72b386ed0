package io.berth.scanner.adapter;

import java.util.Objects;

/**
 * The artifact a scan request names: the scan request's {@code artifact}.
 *
 * @param repository the repository ({@code library/nginx})
 * @param digest the manifest's digest
 * @param tag a tag, or null
 * @param mimeType the manifest's media type
 */
public record ArtifactRef(String repository, String digest, String tag, String mimeType) {

    public ArtifactRef {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
