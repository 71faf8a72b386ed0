package io.berth.scanner.scanners;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The registered scanners (docs/scanners.md). */
@ConfigMapping(prefix = "berth.scanner.scanners")
public interface ScannerRegistryConfig {

    /**
     * The secret adapters' credentials are encrypted with in PostgreSQL ({@code scanners.auth_secret}):
     * long and random, the same on every scanner-bridge replica, and kept out of the database (a
     * Kubernetes secret), as auth's {@code berth.auth.keys.secret}. At least 16 characters. The
     * default only suits the local stack. Changing it makes stored secrets unreadable: register
     * their adapters' secrets again.
     */
    @WithDefault("berth-local-scanner-secret")
    String secret();
}
