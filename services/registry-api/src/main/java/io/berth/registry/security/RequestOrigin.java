package io.berth.registry.security;

import io.berth.events.ClientAddress;
import io.berth.security.Scope;
import io.berth.security.token.RegistryToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who made the current request and from where, for the events it causes: the subject of its
 * registry token (null without one), and the client's address. Behind the gateway the client is
 * the first address of {@code X-Forwarded-For}, which the gateway sets; registry-api takes no
 * traffic but the gateway's in production.
 */
@RequestScoped
public class RequestOrigin {

    private static final String SCANNER_PULL = "scanner-pull";

    private String actor;
    private String clientIp;
    private RegistryToken token;

    public String actor() {
        return actor;
    }

    public String clientIp() {
        return clientIp;
    }

    /**
     * Records the origin of a request: its token's subject (if any) and the client's address.
     * Called by {@link TokenAuthFilter} for every request, whether or not tokens are required.
     */
    void record(RegistryToken token, String forwardedFor, HttpServerRequest http) {
        this.token = token;
        if (token != null && !token.subject().isEmpty()) {
            actor = token.subject();
        }
        clientIp = ClientAddress.of(forwardedFor,
                http != null && http.remoteAddress() != null ? http.remoteAddress().hostAddress() : null);
    }

    /**
     * Whether the request's token grants {@code scanner-pull} on {@code repository}, literally (a
     * wildcard does not count): a pull that passes the pull gate. auth grants it only to robots
     * a system administrator gave it (docs/security.md).
     */
    public boolean passesPullGate(String repository) {
        if (token == null) {
            return false;
        }
        for (Scope s : token.access()) {
            if (s.has(SCANNER_PULL) && "repository".equals(s.type()) && s.name().equals(repository)) {
                return true;
            }
        }
        return false;
    }
}
