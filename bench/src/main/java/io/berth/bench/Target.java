package io.berth.bench;

import java.net.URI;
import java.util.Map;

/**
 * One registry under test.
 *
 * @param name how the report names it (and the JSON key of its numbers)
 * @param url its base URL, e.g. http://127.0.0.1:8081
 * @param credentials {@code user:password}, or null for anonymous access
 * @param processes its processes to meter, label → PID (may be empty)
 * @param registry the client driving it
 */
record Target(String name, URI url, String credentials, Map<String, Long> processes, Registry registry) {

    /** host:port, as skopeo's docker:// references name a registry. */
    String authority() {
        int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
