package io.berth.scanner.adapter;

import java.util.Objects;

/**
 * How an adapter reaches the registry to pull the artifact: the scan request's {@code registry}.
 *
 * @param url the registry's base URL as the adapter reaches it ({@code https://registry.example})
 * @param authorization the {@code Authorization} header value the adapter sends to it (a short-lived
 *     Bearer token or Basic credentials), or null
 */
public record RegistryAccess(String url, String authorization) {

    public RegistryAccess {
        Objects.requireNonNull(url, "url");
    }

    /** Never shows the authorization. */
    @Override
    public String toString() {
        return "RegistryAccess[url=" + url + ", authorization=" + (authorization == null ? "none" : "(set)") + "]";
    }
}
