package io.berth.errors.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.berth.errors.ApiException;
import io.berth.errors.WireErrors;
import io.berth.oci.RegistryException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The JAX-RS exception mappers of every berth service, found in each through this jar's bean
 * index: whatever a resource or filter throws is answered by {@link WireErrors#of} in the
 * vocabulary of the request's path. A service adds no mapper of its own; a handler only throws
 * a {@link RegistryException} or {@link ApiException} with the right code.
 *
 * <p>The types below {@code Throwable} are named because Quarkus brings mappers of its own for
 * some of them (Jackson's {@code MismatchedInputException}, JAX-RS's own refusals), which would
 * otherwise answer in their own shape; a mapper for a more specific type wins over one for a
 * more general type, and a user mapper over a built-in one.
 */
public class WireExceptionMappers {

    @ServerExceptionMapper
    public Response registry(RegistryException e, HttpServerRequest request) {
        return answer(e, request);
    }

    @ServerExceptionMapper
    public Response api(ApiException e, HttpServerRequest request) {
        return answer(e, request);
    }

    /** No such path 404, wrong method 405, wrong media type 415, unreadable parameter or body 400. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        if (e.getResponse().hasEntity() || e.getResponse().getStatus() < 400) {
            // An answer a resource built itself (or a redirect): it is already what it means to be.
            return e.getResponse();
        }
        return answer(e, request);
    }

    /** A JSON body with a value of the wrong type. */
    @ServerExceptionMapper
    public Response wrongJsonType(MismatchedInputException e, HttpServerRequest request) {
        return answer(e, request);
    }

    /** A body that is not JSON at all. */
    @ServerExceptionMapper
    public Response notJson(JsonProcessingException e, HttpServerRequest request) {
        return answer(e, request);
    }

    /** The catch-all: an outage is 503 with {@code Retry-After}, anything else 500 with the trace id. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        return answer(e, request);
    }

    private static Response answer(Throwable e, HttpServerRequest request) {
        return WireErrors.of(e, request.method().name(), request.path(), request.getHeader("traceparent")).toResponse();
    }
}
