package io.berth.scanner.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.callers.AuthClient;
import io.berth.scanner.config.AdminAuthConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * scanner-bridge's {@link AuthClient} (libs/callers), which both filters ({@link AdminFilter},
 * {@link ProjectAccessFilter}) ask about callers, made from {@code berth.scanner.auth.*}.
 */
public class AuthClients {

    @Produces
    @Singleton
    AuthClient authClient(AdminAuthConfig config, ObjectMapper json) {
        return new AuthClient(config.url(), config.timeout(), json);
    }
}
