package io.berth.registry;

import io.opentelemetry.api.trace.Span;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only endpoint: answers with the trace id the request is handled in. */
@Path("/test/trace-echo")
public class TraceEchoResource {

    @GET
    public String traceId() {
        return Span.current().getSpanContext().getTraceId();
    }
}
