package io.berth.storage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StoreTransport#receive}: a request body piped to a PUT on a real Vert.x server standing
 * in for the object store's HTTP endpoint (what it answers is all that matters here), from real
 * sockets.
 */
@Timeout(60)
class StoreUploadTest {

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final StoreTransport transport = new StoreTransport(vertx, false);
    private final AtomicLong stored = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        transport.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The store: takes a PUT's body whole and answers 200. */
    private URI store() throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(put ->
                put.body().onSuccess(body -> {
                    stored.addAndGet(body.length());
                    put.response().end();
                }));
        int port = server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        return URI.create("http://127.0.0.1:" + port + "/bucket/object");
    }

    /**
     * The front: each request waits, paused, until {@code ready} says go, then its body is piped to
     * the store from a worker thread; {@code outcome} gets the byte count or the failure.
     */
    private int front(URI target, long length, boolean waitForHangUp, CompletableFuture<Object> outcome) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(request -> {
            request.pause();
            workers.submit(() -> {
                for (int i = 0; waitForHangUp && i < 500 && !request.response().closed(); i++) {
                    Thread.sleep(10);
                }
                try {
                    outcome.complete(transport.receive(HttpBodies.source(request, Duration.ofSeconds(30)), target, length,
                            piece -> { }));
                } catch (IOException | RuntimeException e) {
                    outcome.complete(e);
                }
                if (!request.response().closed()) {
                    request.response().end();
                }
                return null;
            });
        });
        return server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static Socket send(int port, long length, byte[] body) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        out.write(("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    @Test
    void aWholeBodyReachesTheStore() throws Exception {
        var outcome = new CompletableFuture<Object>();
        int port = front(store(), 3 * 1024 * 1024, false, outcome);
        try (Socket socket = send(port, 3 * 1024 * 1024, new byte[3 * 1024 * 1024])) {
            assertEquals(3L * 1024 * 1024, outcome.get(20, TimeUnit.SECONDS));
            assertEquals(3L * 1024 * 1024, stored.get());
        }
    }

    @Test
    void aClientThatHungUpBeforeThePipeStartedFailsItWhenItStarts() throws Exception {
        // As when a push hangs up while its upload session is being made: the client is gone
        // before the body is handed to the store (a paused request does not read the hang-up
        // until it is resumed). The transfer must end as soon as it starts, not after the 30 s
        // idle timeout: the upload's memory budget is held until it ends.
        var outcome = new CompletableFuture<Object>();
        int port = front(store(), 64 * 1024 * 1024, true, outcome);
        send(port, 64 * 1024 * 1024, new byte[1024 * 1024]).close();
        Object result = outcome.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, result);
        assertTrue(((IOException) result).getMessage().contains("closed"), ((IOException) result).getMessage());
    }
}
