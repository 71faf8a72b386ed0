package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Map;

/** Test-only endpoints that fail on purpose, to pin down the error contract. */
@Path("/test/fail")
public class FailingResource {

    @GET
    @Path("/registry/{code}")
    public String registry(@PathParam("code") String code) {
        throw RegistryException.of(RegistryErrorCode.valueOf(code), Map.of("digest", "sha256:abc"));
    }

    @GET
    @Path("/unexpected")
    public String unexpected() {
        throw new IllegalStateException("secret internal detail");
    }
}
