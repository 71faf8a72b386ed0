package io.berth.scanner.pluggable;

import java.util.Objects;

/**
 * A scan request of the spec, checked: where to pull from and what.
 *
 * @param registryUrl the registry's base URL (http or https)
 * @param authorization the {@code Authorization} to send to it, or null
 * @param repository the repository
 * @param digest the manifest's digest
 * @param tag the tag, or null
 * @param mimeType the manifest's media type, or null when the request gave none
 */
record ScanRequest(String registryUrl, String authorization, String repository, String digest, String tag,
        String mimeType) {

    ScanRequest {
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
    }

    /** Never shows the authorization. */
    @Override
    public String toString() {
        return "ScanRequest[" + registryUrl + "/" + repository + "@" + digest + "]";
    }
}
