package io.berth.auth.api;

import io.berth.auth.service.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The public keys that verify registry tokens, as a JWKS: what registry-api's
 * {@code berth.registry.auth.jwks-url} points at. It lists the current key and every retired key
 * whose tokens may still be valid.
 */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        // Short caching: a verifier sees a new key within a minute, and refetches on an unknown kid.
        return Response.ok(keys.jwks()).header("Cache-Control", "max-age=60").build();
    }
}
