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
 * @param tokens its token service, for the workloads that measure it ({@link Tokens#NONE} if none)
 * @param admin the client for what the registry keeps to administrators (berth's catalog), logged
 *        in as one; null to use {@code registry} for everything
 */
record Target(String name, URI url, String credentials, Map<String, Long> processes, Registry registry, Tokens tokens,
        Registry admin) {

    /** A registry whose token service is not measured, driven with one set of credentials. */
    Target(String name, URI url, String credentials, Map<String, Long> processes, Registry registry) {
        this(name, url, credentials, processes, registry, Tokens.NONE, null);
    }

    /** The client that reads the catalog: the administrator's where one is given. */
    Registry catalogRegistry() {
        return admin != null ? admin : registry;
    }

    /** host:port, as skopeo's docker:// references name a registry. */
    String authority() {
        int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        return url.getHost() + ":" + port;
    }

    /**
     * A registry's token service as the token workloads ask it.
     *
     * @param url the token endpoint with its {@code service} parameter, as a client builds it
     *        from the {@code Bearer} challenge; the workloads add {@code scope}. Null for none.
     * @param credentials {@code user:password} by kind ({@code robot}, {@code user}): the
     *        token workload of a kind runs only where its credentials are given
     * @param processes what to meter during those workloads (auth, the gateway), label → PID
     */
    record Tokens(String url, Map<String, String> credentials, Map<String, Long> processes) {
        static final Tokens NONE = new Tokens(null, Map.of(), Map.of());
    }
}
