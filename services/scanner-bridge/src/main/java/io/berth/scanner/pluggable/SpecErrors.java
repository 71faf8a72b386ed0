package io.berth.scanner.pluggable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.scanner.adapter.SpecMediaTypes;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The spec's answers as bytes: its media types ({@code application/vnd.security.vulnerability.report;
 * version=1.1}) are not ones JAX-RS knows to be JSON, so documents are serialized here. Errors are
 * the spec's model: {@code {"error": {"message": "..."}}} as {@code application/vnd.scanner.adapter.error+json; version=1.0}.
 */
final class SpecErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecErrors() {}

    static Response of(int status, String message) {
        return json(status, SpecMediaTypes.ERROR, Map.of("error", Map.of("message", message)));
    }

    static Response json(int status, String mediaType, Object document) {
        try {
            return Response.status(status).header("Content-Type", mediaType).entity(JSON.writeValueAsBytes(document)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec document does not serialize", e);
        }
    }
}
