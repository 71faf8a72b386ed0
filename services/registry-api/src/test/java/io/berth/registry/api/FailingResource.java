package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.registry.metadata.MetadataUnavailableException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.sql.SQLException;
import java.util.Map;

/**
 * Test-only endpoints under {@code /v2} that fail on purpose, to pin down the error contract of
 * the distribution-spec body; {@link FailingOutsideV2Resource} does the same outside {@code /v2}.
 */
@Path("/v2/_test/fail")
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

    @GET
    @Path("/database")
    public String database() {
        throw new MetadataUnavailableException("could not read: secret internal detail",
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
    }
}
