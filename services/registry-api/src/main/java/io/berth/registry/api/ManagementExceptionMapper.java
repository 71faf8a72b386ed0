package io.berth.registry.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Writes {@link ManagementException}s as {@link ManagementErrorResponse}. A mapper of its own
 * beside {@link RegistryExceptionMapper}, so {@code /v2} answers keep the distribution-spec
 * body untouched; only {@code /api/v1} code throws this exception type.
 */
public class ManagementExceptionMapper {

    @ServerExceptionMapper
    public Response managementError(ManagementException e) {
        Response.ResponseBuilder answer = response(e.code(), e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            answer.header("Retry-After", e.retryAfterSeconds());
        }
        return answer.build();
    }

    /** The error answer for {@code code}, for callers that add headers (the 401 challenge). */
    public static Response.ResponseBuilder response(ManagementException.Code code, String message) {
        return Response.status(code.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ManagementErrorResponse.of(code, message));
    }
}
