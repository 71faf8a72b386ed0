package io.berth.storage.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestBodyStream} against a real Vert.x HTTP server and real sockets: bytes arrive
 * whole and in order, the unread queue stays bounded while the reader is slow, and a request
 * that stops, stalls or is abandoned ends the read instead of hanging it.
 */
class RequestBodyStreamTest {

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private HttpServer server;

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts a server whose every request body is handed, paused, to {@code reader} on a worker thread. */
    private int serve(Duration idleTimeout, Function<RequestBodyStream, String> reader) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> {
                    request.pause();
                    workers.submit(() -> answer(request, reader.apply(RequestBodyStream.of(request, idleTimeout))));
                });
        return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static void answer(HttpServerRequest request, String body) {
        request.response().end(body);
    }

    @Test
    void aSlowReaderGetsEveryByteWhileTheQueueStaysBounded() throws Exception {
        byte[] body = new byte[24 * 1024 * 1024];
        new Random(7).nextBytes(body);
        AtomicLong mostQueued = new AtomicLong();
        int port = serve(Duration.ofSeconds(30), in -> {
            try (in) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] chunk = new byte[256 * 1024];
                long total = 0;
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    md.update(chunk, 0, n);
                    total += n;
                    mostQueued.accumulateAndGet(in.available(), Math::max);
                    if (total % (2 * 1024 * 1024) < n) {
                        Thread.sleep(20); // a reader slower than loopback, so the queue fills
                    }
                }
                return total + " " + HexFormat.of().formatHex(md.digest());
            } catch (Exception e) {
                return "failed: " + e;
            }
        });

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        String expected = body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertEquals(expected, response.body());
        // The connection is paused at HIGH_WATER; what was already in flight may land on top.
        assertTrue(mostQueued.get() <= RequestBodyStream.HIGH_WATER + 1024 * 1024,
                "at most about " + RequestBodyStream.HIGH_WATER + " bytes wait unread, saw " + mostQueued.get());
        assertTrue(mostQueued.get() >= RequestBodyStream.LOW_WATER,
                "a slow reader lets the queue fill up to the pause mark, saw " + mostQueued.get());
    }

    @Test
    void closingEarlyDiscardsTheRestAndTheConnectionAnswers() throws Exception {
        int port = serve(Duration.ofSeconds(30), in -> {
            try (in) {
                byte[] first = in.readNBytes(10);
                return new String(first, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        byte[] body = new byte[8 * 1024 * 1024];
        System.arraycopy("0123456789".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 10);
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(20))
                            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("0123456789", response.body());
        }
    }

    /** A server that drains each body and completes {@code outcome} with how the read ended (null: it ended well). */
    private int serveDraining(Duration idleTimeout, CompletableFuture<Exception> outcome) throws Exception {
        return serve(idleTimeout, in -> {
            try (in) {
                in.transferTo(OutputStream.nullOutputStream());
                outcome.complete(null);
            } catch (IOException e) {
                outcome.complete(e);
            }
            return "";
        });
    }

    /** Opens a connection to {@code port} and sends {@code head} and {@code body}; the caller closes it. */
    private static Socket send(int port, String head, byte[] body) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    @Test
    void aClientThatHangsUpMidBodyFailsTheRead() throws Exception {
        CompletableFuture<Exception> failure = new CompletableFuture<>();
        int port = serveDraining(Duration.ofSeconds(30), failure);
        send(port, "PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n", new byte[1024 * 1024]).close();
        assertInstanceOf(IOException.class, failure.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aClientThatHungUpBeforeTheBodyWasTakenFailsTheRead() throws Exception {
        // The request waits, paused, while its client hangs up; only then is the body taken (as
        // when a push hangs up while its session is being made). The read must fail as soon as
        // it starts, not after the 30 s idle timeout.
        CompletableFuture<Exception> failure = new CompletableFuture<>();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> {
                    request.pause();
                    workers.submit(() -> {
                        for (int i = 0; i < 500 && !request.response().closed(); i++) {
                            Thread.sleep(10);
                        }
                        try (InputStream in = RequestBodyStream.of(request, Duration.ofSeconds(30))) {
                            in.transferTo(OutputStream.nullOutputStream());
                            failure.complete(null);
                        } catch (IOException e) {
                            failure.complete(e);
                        }
                        return null;
                    });
                });
        int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        send(port, "PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n", new byte[1024 * 1024]).close();
        assertInstanceOf(IOException.class, failure.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aClientThatStallsFailsTheReadAfterTheIdleTimeout() throws Exception {
        CompletableFuture<Exception> failure = new CompletableFuture<>();
        int port = serveDraining(Duration.ofMillis(500), failure);
        try (Socket socket = send(port, "PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",
                "12345".getBytes(StandardCharsets.US_ASCII))) {
            Exception e = failure.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, e);
            assertTrue(e.getMessage().contains("no bytes arrived"), e.getMessage());
            // The server answers and closes the connection: the client reads its answer, then the end.
            socket.setSoTimeout(10_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.toLowerCase().contains("connection: close"), answer);
        }
    }

    @Test
    void aClientExpectingContinueIsToldToSend() throws Exception {
        int port = serve(Duration.ofSeconds(30), in -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("PATCH / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String interim = readHead(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), in.readNBytes(5));
        }
    }

    /** One response head, up to and including its blank line. */
    private static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
