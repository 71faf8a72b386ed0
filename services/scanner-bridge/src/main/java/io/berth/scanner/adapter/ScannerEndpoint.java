package io.berth.scanner.adapter;

import java.net.URI;
import java.util.Objects;

/**
 * A scanner adapter as berth reaches it.
 *
 * @param name the registered name, for messages
 * @param url the adapter's base URL, the one before {@code /api/v1/metadata}
 * @param auth how to authenticate
 * @param secret the secret {@code auth} sends ({@code user:password} for Basic), or null for NONE
 * @param insecure accept any TLS certificate from the adapter (a self-signed one); the host name must still match
 */
public record ScannerEndpoint(String name, URI url, AuthKind auth, String secret, boolean insecure) {

    public ScannerEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(auth, "auth");
        if (auth != AuthKind.NONE && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("auth " + auth.wire() + " needs a secret");
        }
    }

    /** The URL of {@code path} under the adapter's base ({@code api/v1/metadata}). */
    URI resolve(String path) {
        String base = url.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "ScannerEndpoint[name=" + name + ", url=" + url + ", auth=" + auth.wire() + ", insecure=" + insecure + "]";
    }
}
