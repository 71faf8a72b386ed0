package io.berth.auth.api;

import io.berth.auth.events.AuditOutbox;
import io.berth.auth.service.SigningKeys;
import io.berth.errors.ApiErrorCode;
import io.berth.errors.ApiException;
import io.berth.events.EventType;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code POST /api/v1/system/signing-keys/rotate}: rotates the key registry tokens are signed
 * with, whatever its age, for an operator who suspects a leak or tests a rotation. System
 * administrators only. The answer names the new key and when it starts signing (after
 * {@code berth.auth.keys.publish-ahead}); tokens the previous key signed stay valid until they
 * expire (docs/adr/0013).
 */
@Path("/api/v1/system/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    private final ApiCallers callers;
    private final SigningKeys keys;
    private final AuditOutbox audit;

    public SigningKeyResource(ApiCallers callers, SigningKeys keys, AuditOutbox audit) {
        this.callers = callers;
        this.keys = keys;
        this.audit = audit;
    }

    @POST
    @Path("rotate")
    public Map<String, String> rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        var caller = callers.of(auth);
        if (!caller.admin()) {
            throw new ApiException(ApiErrorCode.FORBIDDEN, "rotating the signing key takes a system administrator");
        }
        var next = keys.rotate();
        audit.write(EventType.SIGNING_KEY_ROTATED, next.kid(), Map.of("kid", next.kid(),
                "signsFrom", next.signsFrom().toString(), "actor", caller.subject()));
        return Map.of("kid", next.kid(), "signsFrom", next.signsFrom().toString());
    }
}
