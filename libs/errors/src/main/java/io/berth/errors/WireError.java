package io.berth.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One error answer, decided but not yet written: the status, the body
 * ({@link OciErrorBody} or {@link ApiErrorBody}) and the headers that go with it
 * ({@code Retry-After}, {@code WWW-Authenticate}, {@code Allow}). JAX-RS code writes it with
 * {@link #toResponse()}, Vert.x routes (the gateway, the fallbacks of
 * {@link io.berth.errors.http.WireErrorRoutes}) with {@link #json()}.
 */
public record WireError(int status, Object body, Map<String, String> headers) {

    // Its own mapper: the bodies are two records of strings, so the service's mapper settings
    // would change nothing, and the gateway writes without JAX-RS.
    private static final ObjectMapper JSON = new ObjectMapper();

    public WireError {
        headers = Map.copyOf(headers);
    }

    /** The same answer with one more header. */
    public WireError with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new WireError(status, body, more);
    }

    /** The same answer with {@code Retry-After: seconds}, if {@code seconds} is above 0. */
    public WireError retryAfter(long seconds) {
        return seconds > 0 ? with("Retry-After", Long.toString(seconds)) : this;
    }

    /** The answer as a JAX-RS response, {@code application/json}. */
    public Response toResponse() {
        return builder().build();
    }

    /** The answer as a JAX-RS builder, for callers that add headers of their own. */
    public Response.ResponseBuilder builder() {
        Response.ResponseBuilder answer = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        headers.forEach(answer::header);
        return answer;
    }

    /** The body as JSON text. */
    public String json() {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // Two records of strings and JSON values berth made itself: cannot happen.
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
