package io.berth.auth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.config.AuthConfig;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration of service accounts: what is refused at startup, and what exists. */
class ServiceAccountsTest {

    private static AuthConfig.ServiceAccount account(String secret, String... actions) {
        return new AuthConfig.ServiceAccount() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Set<String> actions() {
                return Set.of(actions);
            }
        };
    }

    @Test
    void aShortSecretIsRefusedAtStartup() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ServiceAccounts(Map.of("scanner-bridge", account("fifteen-chars!!", "pull"))));
        assertTrue(e.getMessage().contains("at least 16 characters"), e.getMessage());
    }

    @Test
    void badNamesAndActionsAreRefusedAndAnUnsetSecretMakesNoAccount() {
        assertThrows(IllegalStateException.class,
                () -> new ServiceAccounts(Map.of("Scanner", account("sixteen-characters", "pull"))));
        assertThrows(IllegalStateException.class,
                () -> new ServiceAccounts(Map.of("scanner", account("sixteen-characters", "scanner-pull"))));
        assertThrows(IllegalStateException.class,
                () -> new ServiceAccounts(Map.of("scanner", account("sixteen-characters", "pull", "admin"))));
        assertThrows(IllegalStateException.class,
                () -> new ServiceAccounts(Map.of("lister", account("sixteen-characters", "catalog"))));
        assertEquals(Set.of("service$lister"), new ServiceAccounts(
                Map.of("lister", account("sixteen-characters", "pull", "catalog"))).names());
        var accounts = new ServiceAccounts(Map.of("scanner", account("sixteen-characters", "pull", "scanner-pull"),
                "replicator", account(null, "pull", "push")));
        assertEquals(Set.of("service$scanner"), accounts.names());
        assertTrue(accounts.authenticate("service$scanner", "sixteen-characters").isPresent());
        assertTrue(accounts.authenticate("service$scanner", "sixteen-characterz").isEmpty());
        assertTrue(accounts.authenticate("service$replicator", "").isEmpty());
    }
}
