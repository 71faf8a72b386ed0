package io.berth.registry.api;

import io.berth.oci.RegistryErrorCode;
import io.berth.registry.config.RegistryConfig;
import io.berth.registry.service.BlobBody;
import io.berth.relay.DirectRelay;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
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
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.ServerSerialisers;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Sends a {@link BlobBody}: a GET of the presigned object URL, piped to the client on the
 * event loop with back-pressure (the object store is read only as fast as the client reads).
 * No worker thread and no byte array sits between the two connections, unlike a copy from the
 * storage SDK's stream into Quarkus REST's output stream, which cost about twice the CPU. A
 * plain-HTTP store is read by {@link DirectRelay} (libs/relay), which hands the store's buffers
 * on as they are; a TLS one (or any, with {@code berth.registry.blobs.direct-relay=false}) by
 * Vert.x's client.
 *
 * <p>The response's status and headers are the resource's (200 or 206, Content-Length, digest);
 * they go out with the first bytes. If the store fails before that, the client gets a proper
 * error instead: BLOB_UNKNOWN (404) when the object is missing, UNKNOWN (500) otherwise. If it
 * fails after, the connection is reset, so the client sees a short body, never a wrong one.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class BlobBodyWriter implements ServerMessageBodyWriter<BlobBody> {

    private static final Logger LOG = Logger.getLogger(BlobBodyWriter.class);
    private final Vertx vertx;
    private final StoreHttpClient store;
    private final boolean directRelay;

    public BlobBodyWriter(Vertx vertx, StoreHttpClient store, RegistryConfig config) {
        this.vertx = vertx;
        this.store = store;
        this.directRelay = config.blobs().directRelay();
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
        String range = body.offset() != 0 || body.length() >= 0
                ? "bytes=" + body.offset() + "-" + (body.offset() + body.length() - 1)
                : null;
        List<Map.Entry<String, String>> headers = range == null ? List.of() : List.of(Map.entry("Range", range));
        // Started on the request's event loop, so each step's callback runs as soon as its
        // future completes there: the pipe takes hold of the store's answer before its body is
        // read. (From this worker thread the callbacks would be queued, and a small body could
        // end unseen in between.)
        Context eventLoop = Vertx.currentContext();
        (eventLoop != null ? eventLoop : vertx.getOrCreateContext()).runOnContext(started -> {
            Future<Void> sent;
            try {
                if (directRelay && DirectRelay.supports(body.source().getScheme())) {
                    sent = store.relay().relay(DirectRelay.Request.get(body.source(), headers), response, head -> {
                        int status = head.status().code();
                        return status == 200 || status == 206 ? null : new StoreAnswered(status);
                    });
                } else {
                    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(body.source().toString());
                    if (range != null) {
                        get.putHeader("Range", range);
                    }
                    sent = store.client().request(get).compose(HttpClientRequest::send).compose(source -> pipe(source, response));
                }
            } catch (RuntimeException e) {
                // Answered below like any other failure, never left hanging.
                sent = Future.failedFuture(e);
            }
            sent.onComplete(done -> {
                if (done.failed()) {
                    fail(body, response, done.cause());
                }
                ctx.resume();
            });
        });
    }

    /** Vert.x's client to the store: for stores that speak TLS, or all when direct-relay is off. */
    private static Future<Void> pipe(HttpClientResponse source, HttpServerResponse response) {
        int status = source.statusCode();
        if (status != 200 && status != 206) {
            // Drain the error body so the pooled connection can be reused.
            return source.body().compose(ignored -> Future.failedFuture(new StoreAnswered(status)));
        }
        response.closeHandler(v -> source.request().reset());
        response.setWriteQueueMaxSize(DirectRelay.WRITE_QUEUE_BYTES);
        return source.pipeTo(response);
    }

    private static void fail(BlobBody body, HttpServerResponse response, Throwable cause) {
        if (response.closed()) {
            LOG.debugf("client left during blob %s", body.digest());
            return;
        }
        if (response.headWritten()) {
            LOG.warnf(cause, "blob %s broke off mid-transfer; resetting the connection", body.digest());
            response.reset();
            return;
        }
        RegistryErrorCode code;
        if (cause instanceof StoreAnswered answered && answered.status == 404) {
            LOG.errorf("blob %s is recorded but the store does not have it (404 for its object)", body.digest());
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

    /** The store answered something other than the bytes. */
    private static final class StoreAnswered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StoreAnswered(int status) {
            super("object store answered " + status, null, false, false);
            this.status = status;
        }
    }
}
