package io.berth.registry.transport;

import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import io.berth.oci.RegistryErrorCode;
import io.berth.registry.service.BlobBody;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.http.HttpBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.ServerSerialisers;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Sends a {@link BlobBody}. The one class of registry-api's that touches the transport (Quarkus
 * REST's server writer SPI and the Vert.x response), kept out of {@code api/}, which holds the
 * resources.
 *
 * <p>It hands the client's response, as a sink ({@link HttpBodies#sink}), to
 * {@link BlobStore#send}, which streams the bytes into it with back-pressure (S3: relayed from the
 * store on the event loop without copies; libs/storage, ADR 0023). No worker thread waits for
 * the transfer: the request is suspended and resumed when it ends.
 *
 * <p>The response's status and headers are the resource's (200 or 206, Content-Length, digest);
 * they go out with the first bytes. If the store fails before that, the client gets a proper
 * error instead, decided as every other error ({@link WireErrors}): BLOB_UNKNOWN (404) when the
 * object is missing, 503 UNAVAILABLE with {@code Retry-After} when the store is unreachable,
 * UNKNOWN (500) with the trace id otherwise. If it fails after, the store has reset the
 * connection, so the client sees a short body, never a wrong one.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class BlobBodyWriter implements ServerMessageBodyWriter<BlobBody> {

    private static final Logger LOG = Logger.getLogger(BlobBodyWriter.class);
    private final BlobStore store;

    public BlobBodyWriter(BlobStore store) {
        this.store = store;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return type == BlobBody.class;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == BlobBody.class;
    }

    @Override
    public void writeTo(BlobBody body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) {
        throw new UnsupportedOperationException("a BlobBody is only written by Quarkus REST's server writer");
    }

    @Override
    public void writeResponse(BlobBody body, Type genericType, ServerRequestContext context) throws WebApplicationException {
        var ctx = (ResteasyReactiveRequestContext) context;
        HttpServerRequest request = ctx.serverRequest().unwrap(HttpServerRequest.class);
        HttpServerResponse response = request.response();
        // Quarkus REST applies the resource's status and headers when the response commits, but
        // Vert.x wants Content-Length before the first write: apply them now, and only now.
        ServerSerialisers.encodeResponseHeaders(ctx);
        ctx.serverResponse().setPreCommitListener(null);
        ctx.suspend();
        try {
            store.send(body.objectId(), body.offset(), body.length(), HttpBodies.sink(response))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            fail(body, request, response, failure instanceof CompletionException c && c.getCause() != null
                                    ? c.getCause() : failure);
                        }
                        ctx.resume();
                    });
        } catch (RuntimeException e) {
            // Answered like any other failure, never left hanging.
            fail(body, request, response, e);
            ctx.resume();
        }
    }

    private static void fail(BlobBody body, HttpServerRequest request, HttpServerResponse response, Throwable cause) {
        if (response.closed()) {
            LOG.debugf("client left during blob %s", body.digest());
            return;
        }
        if (response.headWritten()) {
            // The store reset the connection (ByteSink#abort); this only makes sure.
            LOG.warnf(cause, "blob %s broke off mid-transfer; resetting the connection", body.digest());
            response.reset();
            return;
        }
        WireError answer;
        if (cause instanceof BlobNotFoundException) {
            LOG.errorf("blob %s is recorded but the store does not have it (%s)", body.digest(), cause.getMessage());
            answer = WireErrors.oci(RegistryErrorCode.BLOB_UNKNOWN, Map.of("digest", body.digest().toString()));
        } else {
            // Logs it with the trace id, once, as the exception mappers do.
            answer = WireErrors.of(cause, request.method().name(), request.path(), request.getHeader("traceparent"));
        }
        response.setStatusCode(answer.status());
        response.headers().remove(HttpHeaders.CONTENT_LENGTH).remove("Content-Range")
                .remove("Docker-Content-Digest").remove(HttpHeaders.CONTENT_TYPE);
        answer.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        response.end(Buffer.buffer(answer.json()));
    }
}
