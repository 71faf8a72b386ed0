package io.berth.replicator.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A remote registry as the client needs it: its base URL (the one before {@code /v2/}), whether
 * an unverifiable certificate is accepted, the Basic credentials (both null for none) and the
 * timeouts. {@link #toString()} never shows the password.
 *
 * @param url http or https, no trailing slash
 * @param insecure accept any certificate and host name (a self-signed registry), as Harbor's
 *     {@code insecure}
 * @param username null for anonymous access
 * @param password null for anonymous access
 * @param connectTimeout for the TCP and TLS connection
 * @param requestTimeout until the response's headers arrive
 */
public record RemoteTarget(URI url, boolean insecure, String username, String password, Duration connectTimeout,
        Duration requestTimeout) {

    public RemoteTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
        String s = url.toString();
        if (s.endsWith("/")) {
            url = URI.create(s.substring(0, s.length() - 1));
        }
    }

    public boolean hasCredentials() {
        return username != null;
    }

    @Override
    public String toString() {
        return "RemoteTarget[" + url + (insecure ? ", insecure" : "") + (username == null ? "" : ", user " + username)
                + "]";
    }
}
