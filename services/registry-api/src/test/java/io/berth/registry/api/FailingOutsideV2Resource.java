package io.berth.registry.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A test-only endpoint outside {@code /v2} that fails on purpose: answered in the management API's body. */
@Path("/test/fail")
public class FailingOutsideV2Resource {

    @GET
    @Path("/unexpected")
    public String unexpected() {
        throw new IllegalStateException("secret internal detail");
    }
}
