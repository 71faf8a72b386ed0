package io.berth.registry.security;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers {@link TestTokenEndpoint} for every test of this module, so that the one Quarkus
 * application all tests share has a token endpoint for Basic credentials.
 */
@QuarkusTestResource(TestTokenEndpoint.class)
public final class WithTestTokenEndpoint {

    private WithTestTokenEndpoint() {}
}
