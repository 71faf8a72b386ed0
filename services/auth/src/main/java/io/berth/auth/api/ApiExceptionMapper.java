package io.berth.auth.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes {@link ApiException}s, and refused JSON bodies, in the management API's one error shape. */
public class ApiExceptionMapper {

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        Response.ResponseBuilder answer = Response.status(e.code().status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(e.code().name(), e.getMessage()));
        if (e.code() == ApiException.Code.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"berth\"");
        }
        if (e.retryAfterSeconds() > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return answer.build();
    }

    /**
     * JAX-RS's own refusals (a body that is not the JSON an endpoint takes, no such route, a
     * wrong method or media type) keep their status and get the same shape.
     */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            default -> status >= 500 ? "UNKNOWN" : "BAD_REQUEST";
        };
        String message = status == 400 ? "the request is not valid for this endpoint (is the body the JSON it takes?)"
                : e.getMessage();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
    }

    static Map<String, Object> body(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }
}
