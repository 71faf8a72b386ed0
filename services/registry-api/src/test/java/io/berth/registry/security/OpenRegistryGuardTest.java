package io.berth.registry.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An open registry needs two keys: the switch alone stops the start. */
class OpenRegistryGuardTest {

    @Test
    void authOnStarts() {
        assertNull(OpenRegistryGuard.problem(true, false));
        assertNull(OpenRegistryGuard.problem(true, true));
    }

    @Test
    void authOffAloneIsRefusedWithTheKeyThatWouldAllowIt() {
        String problem = OpenRegistryGuard.problem(false, false);
        assertNotNull(problem);
        assertTrue(problem.contains("berth.registry.auth.insecure-allow-open=true"), problem);
    }

    @Test
    void authOffWithTheInsecureKeyStarts() {
        assertNull(OpenRegistryGuard.problem(false, true));
    }
}
