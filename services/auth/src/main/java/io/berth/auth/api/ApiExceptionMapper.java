package io.berth.auth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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
        String message = status == 400 ? badRequest(e) : e.getMessage();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
    }

    /** A JSON body with a value of the wrong type (Jackson's own mapper would answer another shape). */
    @ServerExceptionMapper
    public Response wrongJsonType(MismatchedInputException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body("BAD_REQUEST", "the body is not the JSON this endpoint takes: " + e.getOriginalMessage())).build();
    }

    /**
     * Why a request was refused with 400: a value the API refuses in a JSON body (a malformed
     * glob, an unknown severity) says why; a body of the wrong shape says what Jackson found.
     */
    private static String badRequest(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException) {
                return cause.getMessage();
            }
            if (cause instanceof JsonProcessingException json && !(json.getCause() instanceof IllegalArgumentException)) {
                return "the body is not the JSON this endpoint takes: " + json.getOriginalMessage();
            }
        }
        return "the request is not valid for this endpoint (is the body the JSON it takes?)";
    }

    static Map<String, Object> body(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }
}
