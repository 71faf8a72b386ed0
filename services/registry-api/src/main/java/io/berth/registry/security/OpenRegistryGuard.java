package io.berth.registry.security;

import io.berth.registry.config.RegistryConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Keeps a registry from running open by accident. {@code berth.registry.auth.enabled=false}
 * lets anonymous callers read, write and delete everything, so on its own it stops the start;
 * only together with {@code berth.registry.auth.insecure-allow-open=true} does the service
 * start, and then it says loudly that it is open (docs/adr/0008-registry-auth.md).
 */
@ApplicationScoped
public class OpenRegistryGuard {

    private static final Logger LOG = Logger.getLogger(OpenRegistryGuard.class);

    private final RegistryConfig.Auth config;

    public OpenRegistryGuard(RegistryConfig config) {
        this.config = config.auth();
    }

    void check(@Observes StartupEvent start) {
        String problem = problem(config.enabled(), config.insecureAllowOpen());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        if (!config.enabled()) {
            LOG.warn("INSECURE: token authentication is OFF (berth.registry.auth.enabled=false and "
                    + "berth.registry.auth.insecure-allow-open=true). Anyone who reaches this port may "
                    + "read, push and delete every repository. Never run it like this outside a sandbox.");
        }
    }

    /** Why a start with these settings must fail, or null when it may go on. */
    static String problem(boolean enabled, boolean insecureAllowOpen) {
        if (enabled || insecureAllowOpen) {
            return null;
        }
        return "berth.registry.auth.enabled=false would let anyone read, push and delete every repository; "
                + "berth refuses to start open. Leave it on (the default), or also set "
                + "berth.registry.auth.insecure-allow-open=true if an open registry is really meant";
    }
}
