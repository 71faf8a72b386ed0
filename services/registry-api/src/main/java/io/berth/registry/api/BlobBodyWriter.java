package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.registry.service.BlobBody;
import io.berth.storage.BlobNotFoundException;
import io.berth.storage.BlobStore;
import io.berth.storage.http.HttpBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
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
 * Sends a {@link BlobBody}: hands the client's response, as a sink ({@link HttpBodies#sink}), to
 * {@link BlobStore#send}, which streams the bytes into it with back-pressure (S3: relayed from the
 * store on the event loop without copies; libs/storage, ADR 0023). No worker thread waits for
 * the transfer: the request is suspended and resumed when it ends.
 *
 * <p>The response's status and headers are the resource's (200 or 206, Content-Length, digest);
 * they go out with the first bytes. If the store fails before that, the client gets a proper
 * error instead: BLOB_UNKNOWN (404) when the object is missing, UNKNOWN (500) otherwise. If it
 * fails after, the store has reset the connection, so the client sees a short body, never a
 * wrong one.
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
        HttpServerResponse response = ctx.serverRequest().unwrap(HttpServerResponse.class);
        // Quarkus REST applies the resource's status and headers when the response commits, but
        // Vert.x wants Content-Length before the first write: apply them now, and only now.
        ServerSerialisers.encodeResponseHeaders(ctx);
        ctx.serverResponse().setPreCommitListener(null);
        ctx.suspend();
        try {
            store.send(body.objectId(), body.offset(), body.length(), HttpBodies.sink(response))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            fail(body, response, failure instanceof CompletionException c && c.getCause() != null
                                    ? c.getCause() : failure);
                        }
                        ctx.resume();
                    });
        } catch (RuntimeException e) {
            // Answered like any other failure, never left hanging.
            fail(body, response, e);
            ctx.resume();
        }
    }

    private static void fail(BlobBody body, HttpServerResponse response, Throwable cause) {
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
        RegistryErrorCode code;
        if (cause instanceof BlobNotFoundException) {
            LOG.errorf("blob %s is recorded but the store does not have it (%s)", body.digest(), cause.getMessage());
            code = RegistryErrorCode.BLOB_UNKNOWN;
        } else {
            LOG.errorf(cause, "blob %s could not be read from the store", body.digest());
            code = RegistryErrorCode.UNKNOWN;
        }
        response.setStatusCode(code.status());
        response.headers().remove(HttpHeaders.CONTENT_LENGTH).remove("Content-Range")
                .remove("Docker-Content-Digest").remove(HttpHeaders.CONTENT_TYPE);
        response.putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        response.end(Buffer.buffer(Json.encode(ErrorResponse.of(code, Map.of("digest", body.digest().toString())))));
    }
}
