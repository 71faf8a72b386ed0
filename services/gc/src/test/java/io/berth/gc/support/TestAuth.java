package io.berth.gc.support;

import io.berth.testing.AuthStandIn;

/**
 * auth's stand-in for gc's module tests (libs/testing {@link AuthStandIn}: its users, and the
 * project roles a test {@link #grant}s).
 */
public class TestAuth extends AuthStandIn {

    @Override
    protected String urlProperty() {
        return "berth.gc.auth.url";
    }
}
