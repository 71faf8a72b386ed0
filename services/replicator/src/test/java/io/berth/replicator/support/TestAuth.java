package io.berth.replicator.support;

import io.berth.testing.AuthStandIn;

/** auth's stand-in for the replicator's tests (see {@link AuthStandIn} for its users). */
public class TestAuth extends AuthStandIn {

    @Override
    protected String urlProperty() {
        return "berth.replicator.auth.url";
    }
}
