package io.berth.registry.api;

import io.berth.errors.ApiErrorCode;
import io.berth.errors.Surface;
import io.berth.errors.WireErrors;
import io.berth.registry.service.ReadOnlyException;
import io.berth.registry.service.ReadOnlyMode;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * While berth is read-only ({@link ReadOnlyMode}), every write is answered 503 UNAVAILABLE with
 * {@code Retry-After} before it reaches a resource: POST, PUT, PATCH and DELETE on {@code /v2}
 * (in the distribution-spec's error body) and on registry-api's {@code /api/v1} (in the
 * management one). That includes the PATCH and PUT of an upload session opened before the
 * switch. Reads pass.
 *
 * <p>It runs before the token filters. Those are asynchronous (a Basic header is exchanged at
 * auth), and a synchronous filter placed after an asynchronous one made RESTEasy Reactive hand
 * a streamed upload body to the resource differently: a PATCH of unannounced length no longer
 * streamed through its part buffers (UploadBudgetTest caught it). So an anonymous write during
 * read-only mode learns that berth is read-only before it learns that it needs credentials;
 * nothing else is revealed.
 */
public class ReadOnlyFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ReadOnlyMode mode;

    public ReadOnlyFilter(ReadOnlyMode mode) {
        this.mode = mode;
    }

    /** Null lets the request through; a response ends it with that answer. */
    @ServerRequestFilter(priority = Priorities.USER - 100)
    public Response refuseWrites(ContainerRequestContext request) {
        if (!mode.isOn() || !WRITES.contains(request.getMethod())) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        ReadOnlyException refusal = mode.refusal();
        if (path.startsWith("/v2/")) {
            return WireErrors.of(refusal, Surface.REGISTRY).toResponse();
        }
        if (path.startsWith("/api/v1/")) {
            return WireErrors.of(new ManagementException(ApiErrorCode.UNAVAILABLE, refusal.reason(),
                    refusal.retryAfterSeconds())).toResponse();
        }
        return null;
    }
}
