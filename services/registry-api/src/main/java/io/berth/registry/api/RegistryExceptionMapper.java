package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.oci.RegistryException;
import io.berth.registry.service.PolicyException;
import io.berth.registry.service.ReadOnlyException;
import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place registry-api turns failures into HTTP answers. Handlers only pick a
 * {@link RegistryErrorCode}; the code carries its status and message. Anything unexpected
 * becomes {@code UNKNOWN}/500, logged once with the trace id, and its message never reaches
 * the client.
 */
public class RegistryExceptionMapper {

    private static final Logger LOG = Logger.getLogger(RegistryExceptionMapper.class);

    @ServerExceptionMapper
    public Response registryError(RegistryException e) {
        // status(), not code().status(): RegistryStatusException overrides it where the spec
        // wants a status no code has (413 for an oversized manifest).
        String message = e instanceof PolicyException p ? p.reason() : e.code().message();
        Response response = error(e.status(), e.code(), message, e.detail());
        if (e.code() == RegistryErrorCode.TOOMANYREQUESTS) {
            // Clients that honour it (containerd, skopeo) wait this long before trying again.
            return Response.fromResponse(response).header("Retry-After", "1").build();
        }
        if (e instanceof ReadOnlyException r) {
            return Response.fromResponse(response).header("Retry-After", r.retryAfterSeconds()).build();
        }
        return response;
    }

    /**
     * JAX-RS's own answers (no such route: 404, wrong method: 405, unreadable parameter: 400)
     * keep their status. Without this, the RuntimeException mapper below would turn a
     * mistyped URL into a logged 500.
     */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e) {
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String traceId = Span.current().getSpanContext().getTraceId();
        LOG.errorf(e, "unexpected failure (trace %s)", traceId);
        return error(RegistryErrorCode.UNKNOWN, java.util.Map.of("traceId", traceId));
    }

    static Response error(RegistryErrorCode code, Object detail) {
        return error(code.status(), code, detail);
    }

    static Response error(int status, RegistryErrorCode code, Object detail) {
        return error(status, code, code.message(), detail);
    }

    static Response error(int status, RegistryErrorCode code, String message, Object detail) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(code, message, detail))
                .build();
    }
}
