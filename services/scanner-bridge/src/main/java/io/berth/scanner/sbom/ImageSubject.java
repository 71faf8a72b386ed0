package io.berth.scanner.sbom;

import java.util.Objects;

/**
 * The image an SBOM describes: {@code metadata.component} of the document.
 *
 * @param name the repository ({@code library/nginx}), as a reader would look it up
 * @param digest the manifest's digest ({@code sha256:...})
 */
public record ImageSubject(String name, String digest) {

    public ImageSubject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
    }
}
