package io.berth.scanner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where scanner-bridge checks the callers of its system API ({@code /api/v1/system/...}). */
@ConfigMapping(prefix = "berth.scanner.auth")
public interface AdminAuthConfig {

    /**
     * auth's base URL: a caller's credentials are shown to its {@code GET /api/v1/users/current},
     * and only system administrators pass.
     */
    @WithDefault("http://127.0.0.1:8082")
    String url();

    /** How long to wait for auth's answer. */
    @WithDefault("PT10S")
    Duration timeout();
}
