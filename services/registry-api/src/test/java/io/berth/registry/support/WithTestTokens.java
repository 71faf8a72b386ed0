package io.berth.registry.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestTokens} for every test of this module (not restricted to one class). */
@QuarkusTestResource(TestTokens.class)
public final class WithTestTokens {

    private WithTestTokens() {}
}
