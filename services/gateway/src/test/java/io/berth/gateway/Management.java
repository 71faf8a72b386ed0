package io.berth.gateway;

import java.net.URL;

/** The gateway's management port in tests (health, metrics), where its probes are asked. */
final class Management {

    private Management() {}

    /**
     * The scheme, host and port of an injected management URL. Quarkus injects it with the
     * management root path ({@code /q}) already in it, which the tests' paths repeat.
     */
    static String origin(URL management) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
    }
}
