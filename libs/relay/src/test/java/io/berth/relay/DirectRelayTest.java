package io.berth.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DirectRelay} between a stand-in object store and a client, both on loopback, on Netty's
 * epoll and NIO transports. The store misbehaves on request: answers 404, breaks off mid-body,
 * sends more than announced, closes idle connections. The store's connections read into an
 * unpooled allocator that counts what is not yet released, so every case also checks that no
 * buffer leaks.
 */
@Timeout(60)
class DirectRelayTest {

    private static final byte[] BLOB = new byte[6 * 1024 * 1024 + 123];

    static {
        new Random(7).nextBytes(BLOB);
    }

    private final UnpooledByteBufAllocator counting = new UnpooledByteBufAllocator(true, true);
    private final List<HttpConnection> storeConnections = new CopyOnWriteArrayList<>();
    private final AtomicInteger storeConnectionsClosed = new AtomicInteger();
    private final AtomicLong storeBytesOut = new AtomicLong();
    /** How many of the next requests the store drops by closing their connection unanswered. */
    private final AtomicInteger storeDrops = new AtomicInteger();
    private final BlockingQueue<AsyncResult<Void>> outcomes = new LinkedBlockingQueue<>();
    private Vertx vertx;
    private DirectRelay pipe;
    private int storePort;
    private int registryPort;

    private void start(boolean nativeTransport) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport).setEventLoopPoolSize(1));
        assertEquals(nativeTransport, vertx.isNativeTransportEnabled(), "the transport this case is for");
        pipe = new DirectRelay(counting, 256 * 1024, 2_000, 60);
        HttpServer store = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .connectionHandler(connection -> {
                    storeConnections.add(connection);
                    connection.closeHandler(v -> storeConnectionsClosed.incrementAndGet());
                })
                .requestHandler(this::store);
        storePort = store.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        HttpServer registry = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(this::registry);
        registryPort = registry.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            pipe.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** 96 MiB, more than the write queue and every socket buffer on loopback can hold. */
    private static final long BIG = 96L * 1024 * 1024;

    /** 32 MiB, sent 64 KiB every 20 ms: ten seconds. */
    private static final long TRICKLE = 32L * 1024 * 1024;

    /** What the store has still to send of /trickle. */
    private final AtomicLong trickleLeft = new AtomicLong(TRICKLE);

    /**
     * The stand-in store: /blob (with ranges), /big (written only as fast as it is read),
     * /trickle (written slowly), /missing (404), /cut (ends part-way), all with keep-alive; it
     * drops {@link #storeDrops} requests.
     */
    private void store(HttpServerRequest request) {
        var response = request.response();
        if (storeDrops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            request.connection().close();
            return;
        }
        switch (request.path()) {
            case "/blob" -> {
                String range = request.getHeader("Range");
                int from = 0;
                int to = BLOB.length - 1;
                if (range != null) {
                    String[] span = range.substring("bytes=".length()).split("-");
                    from = Integer.parseInt(span[0]);
                    to = Integer.parseInt(span[1]);
                    response.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + to + "/" + BLOB.length);
                }
                response.putHeader("Content-Length", String.valueOf(to - from + 1));
                // In pieces, so that a client that does not read fills the write queue.
                for (int at = from; at <= to; at += 64 * 1024) {
                    int size = Math.min(64 * 1024, to + 1 - at);
                    response.write(Buffer.buffer().appendBytes(BLOB, at, size)).onSuccess(v -> storeBytesOut.addAndGet(size));
                }
                response.end();
            }
            case "/big" -> {
                response.putHeader("Content-Length", String.valueOf(BIG));
                pump(response, Buffer.buffer().appendBytes(BLOB, 0, 64 * 1024), new AtomicLong(BIG));
            }
            case "/trickle" -> {
                response.putHeader("Content-Length", String.valueOf(TRICKLE));
                Buffer piece = Buffer.buffer().appendBytes(BLOB, 0, 64 * 1024);
                vertx.setPeriodic(20, timer -> {
                    if (response.closed()) {
                        vertx.cancelTimer(timer);
                    } else if (trickleLeft.addAndGet(-piece.length()) > 0) {
                        response.write(piece);
                    } else {
                        response.end(piece);
                        vertx.cancelTimer(timer);
                    }
                });
            }
            case "/missing" -> response.setStatusCode(404).end("<Error><Code>NoSuchKey</Code></Error>");
            case "/cut" -> {
                response.putHeader("Content-Length", String.valueOf(BLOB.length));
                response.write(Buffer.buffer().appendBytes(BLOB, 0, 1024 * 1024))
                        .onComplete(v -> request.connection().close());
            }
            default -> response.setStatusCode(400).end();
        }
    }

    private void pump(HttpServerResponse response, Buffer piece, AtomicLong left) {
        while (left.get() > 0 && !response.writeQueueFull()) {
            left.addAndGet(-piece.length());
            response.write(piece).onSuccess(v -> storeBytesOut.addAndGet(piece.length()));
        }
        if (left.get() > 0) {
            response.drainHandler(v -> pump(response, piece, left));
        } else {
            response.end();
        }
    }

    /**
     * The registry side: announces {@code ?announce=} bytes (the whole blob by default) and pipes
     * the store's {@code ?path=} with the optional {@code ?range=}, as BlobBodyWriter does.
     */
    private void registry(HttpServerRequest request) {
        var response = request.response();
        String announce = request.getParam("announce");
        response.putHeader("Content-Length", announce != null ? announce : String.valueOf(BLOB.length));
        String port = request.getParam("port");
        URI source = URI.create("http://127.0.0.1:" + (port != null ? port : storePort) + request.getParam("path") + "?X-Amz-Signature=abc");
        assertTrue(DirectRelay.supports(source.getScheme()));
        String range = request.getParam("range");
        var get = DirectRelay.Request.get(source, range == null ? List.of() : List.of(Map.entry("Range", range)));
        if ("HEAD".equals(request.getParam("method"))) {
            get = new DirectRelay.Request(get.address(), get.port(), get.authority(), "HEAD",
                    get.target(), get.headers());
        }
        pipe.relay(get, response, head -> {
            int status = head.status();
            return status == 200 || status == 206 ? null : new Refused(status);
        }).onComplete(done -> {
            outcomes.add(done);
            if (done.failed()) {
                if (response.headWritten()) {
                    response.reset();
                } else if (!response.closed()) {
                    response.setStatusCode(502).putHeader("Content-Length", "0").end();
                }
            }
        });
    }

    /** What the registry side's head handler refuses an answer with. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status) {
            super("the store answered " + status);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private AsyncResult<Void> outcome() throws InterruptedException {
        AsyncResult<Void> done = outcomes.poll(20, TimeUnit.SECONDS);
        assertTrue(done != null, "the pipe finished");
        return done;
    }

    /** A GET to the registry on a connection of its own: the status, and the body up to the end or a reset. */
    private Reply get(String query) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", registryPort)) {
            socket.setSoTimeout(20_000);
            send(socket, query);
            return Reply.read(socket.getInputStream());
        }
    }

    private static void send(Socket socket, String query) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /pull?" + query + " HTTP/1.1\r\nHost: registry\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A GET of /big whose client, with a small receive buffer, reads its first 100 bytes and then nothing. */
    private Socket stalledPullOfBig() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", registryPort));
        send(socket, "path=/big&announce=" + BIG);
        socket.getInputStream().readNBytes(100);
        return socket;
    }

    /** Reads a reply's head and counts its body's bytes, up to the end. */
    private static long bodyLength(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertTrue(b >= 0, "the head ended early");
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        long body = 0;
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            body += n;
        }
        return body;
    }

    private record Reply(int status, byte[] body) {
        static Reply read(InputStream in) throws IOException {
            var all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException reset) {
                // A reset mid-body: what arrived before it is the reply.
            }
            byte[] bytes = all.toByteArray();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0, "a status line and headers came back");
            int status = Integer.parseInt(text.substring(9, 12));
            byte[] body = new byte[bytes.length - end - 4];
            System.arraycopy(bytes, end + 4, body, 0, body.length);
            return new Reply(status, body);
        }
    }

    private void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what);
            Thread.sleep(20);
        }
    }

    private void noBufferLeft() throws InterruptedException {
        eventually("every buffer read from the store is released (" + counting.metric().usedDirectMemory() + " bytes held)",
                () -> counting.metric().usedDirectMemory() == 0);
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void theWholeBlobComesThroughAndTheConnectionIsReused(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        for (int i = 0; i < 3; i++) {
            Reply reply = get("path=/blob");
            assertEquals(200, reply.status());
            assertArrayEquals(BLOB, reply.body(), "round " + i);
            assertTrue(outcome().succeeded(), "round " + i);
        }
        assertEquals(1, storeConnections.size(), "one keep-alive connection to the store served all three");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aRangeIsAskedOfTheStoreAndOnlyItIsSent(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        Reply reply = get("path=/blob&range=bytes%3D1000-200999&announce=200000");
        assertEquals(200, reply.status());
        byte[] expected = new byte[200_000];
        System.arraycopy(BLOB, 1000, expected, 0, expected.length);
        assertArrayEquals(expected, reply.body());
        assertTrue(outcome().succeeded());
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void anErrorAnswerFailsWithItsStatusAndLeavesTheConnectionReusable(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        Reply missing = get("path=/missing");
        assertEquals(502, missing.status());
        var failed = outcome();
        var answered = assertInstanceOf(Refused.class, failed.cause());
        assertEquals(404, answered.status());

        assertArrayEquals(BLOB, get("path=/blob").body());
        assertTrue(outcome().succeeded());
        assertEquals(1, storeConnections.size(), "the error's body was read, and its connection used again");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aStoreThatBreaksOffMidBodyResetsTheClientWithAShortBody(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        Reply cut = get("path=/cut");
        assertEquals(200, cut.status());
        assertTrue(cut.body().length < BLOB.length, "the client sees a short body, never a whole wrong one");
        assertTrue(outcome().failed());
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void moreBytesThanAnnouncedAreNeverSent(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        Reply reply = get("path=/blob&announce=1000");
        assertTrue(reply.body().length <= 1000, "no byte past the announced length: " + reply.body().length);
        var failed = outcome();
        assertTrue(failed.failed());
        assertTrue(failed.cause().getMessage().contains("more than the 1000 bytes"), failed.cause().getMessage());
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void anIdleConnectionTheStoreClosedIsReplacedWithoutAnError(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        assertArrayEquals(BLOB, get("path=/blob").body());
        assertTrue(outcome().succeeded());
        assertEquals(1, storeConnections.size());
        storeConnections.get(0).close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Reply again = get("path=/blob");
        assertEquals(200, again.status());
        assertArrayEquals(BLOB, again.body());
        assertTrue(outcome().succeeded());
        assertEquals(2, storeConnections.size(), "a new connection replaced the closed one");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aReusedConnectionTheStoreDropsUnansweredIsReplacedOnceAndANewOneIsNot(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        assertArrayEquals(BLOB, get("path=/blob").body());
        assertTrue(outcome().succeeded());

        // The store closes a kept-alive connection just as the next GET goes out on it.
        storeDrops.set(1);
        Reply again = get("path=/blob");
        assertEquals(200, again.status());
        assertArrayEquals(BLOB, again.body());
        assertTrue(outcome().succeeded());
        assertEquals(2, storeConnections.size(), "the GET went again on a new connection");

        // A new connection that fails unanswered is not tried again.
        storeConnections.forEach(HttpConnection::close);
        eventually("the store's connections are closed", () -> storeConnectionsClosed.get() == 2);
        storeDrops.set(1);
        assertEquals(502, get("path=/blob").status());
        assertTrue(outcome().failed());
        assertEquals(3, storeConnections.size(), "one connection for the failed GET, not a retry");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aHeadIsAnsweredWithoutABodyAndKeepsTheConnection(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        Reply head = get("path=/blob&method=HEAD");
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertTrue(outcome().succeeded());
        assertArrayEquals(BLOB, get("path=/blob").body());
        assertTrue(outcome().succeeded());
        assertEquals(1, storeConnections.size(), "the HEAD's connection served the GET after it");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void anUpstreamThatCannotBeReachedIsUnreachableWithNothingWritten(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(502, get("path=/blob&port=" + closedPort).status());
        assertInstanceOf(DirectRelay.Unreachable.class, outcome().cause());
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aClientThatStopsReadingHoldsTheStoreBackAndOneThatLeavesClosesIt(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        try (Socket socket = stalledPullOfBig()) {
            Thread.sleep(1500);
            // The store is read only as fast as the client reads: past the write queue (1 MiB)
            // and the sockets' buffers on loopback, nothing more leaves it.
            long out = storeBytesOut.get();
            assertTrue(out < BIG * 2 / 3, "the store was held back: " + out + " of " + BIG + " bytes sent");
            assertEquals(0, storeConnectionsClosed.get());
        }
        var left = outcome();
        assertTrue(left.failed(), "a client that leaves ends the transfer");
        eventually("the store's connection is closed, not reused half-read", () -> storeConnectionsClosed.get() == 1);
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aClientThatStopsReadingHoldsNoOtherTransferBack(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        try (Socket stalled = stalledPullOfBig()) {
            // Both are large transfers kept in step; the stalled one must not hold the other.
            try (Socket other = new Socket("127.0.0.1", registryPort)) {
                other.setSoTimeout(20_000);
                send(other, "path=/big&announce=" + BIG);
                assertEquals(BIG, bodyLength(other.getInputStream()), "the whole body came while the first client read nothing");
            }
            assertTrue(outcome().succeeded(), "the other transfer finished first");
        }
        assertTrue(outcome().failed(), "the stalled client left");
        noBufferLeft();
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aStoreThatSendsSlowlyHoldsNoOtherTransferBack(boolean nativeTransport) throws Exception {
        start(nativeTransport);
        try (Socket slow = new Socket("127.0.0.1", registryPort)) {
            slow.setSoTimeout(20_000);
            send(slow, "path=/trickle&announce=" + TRICKLE);
            slow.getInputStream().readNBytes(100);
            // Its client reads all it gets, so only the store sets its pace.
            Thread reader = new Thread(() -> {
                try {
                    slow.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException closed) {
                    // The test closed the socket.
                }
            });
            reader.setDaemon(true);
            reader.start();
            try (Socket other = new Socket("127.0.0.1", registryPort)) {
                other.setSoTimeout(20_000);
                send(other, "path=/big&announce=" + BIG);
                assertEquals(BIG, bodyLength(other.getInputStream()));
            }
            long left = trickleLeft.get();
            assertTrue(left > 0, "96 MiB came through while the slow store was still sending its 32 MiB (" + left + " bytes left)");
            assertTrue(outcome().succeeded());
        }
        assertTrue(outcome().failed(), "the slow transfer's client left");
        noBufferLeft();
    }
}
