package io.berth.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vert.x and Netty internals berth relies on, checked on the versions on the class path, so
 * that an upgrade that breaks one fails here loudly instead of silently taking the slow path
 * (ADR 0023). DirectRelayTest checks the bytes; this checks the path they took:
 * <ul>
 *   <li>on a real event loop the relay finds its Netty loop ({@code ContextInternal}), so
 *       {@link DirectRelay#supports} is true and a GET is relayed, not handed to the fallback;
 *   <li>the relay's buffers reach the client's socket as they are: Vert.x's response neither
 *       copies them on {@code write} nor before the socket (every byte that leaves the client's
 *       channel is checked against the buffers the relay read the store's answer into);
 *   <li>{@link EventLoops#of} finds a request's own loop from any thread.
 * </ul>
 */
@Timeout(60)
class InternalsTest {

    private static final byte[] BLOB = new byte[8 * 1024 * 1024 + 7];

    static {
        new Random(23).nextBytes(BLOB);
    }

    private Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Direct buffers that remember which of them are still alive, by address. */
    private static final class Recording extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new CopyOnWriteArrayList<>();
        private final UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(true);

        Recording() {
            super(true);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = memory.directBuffer(initialCapacity, maxCapacity);
            made.add(buf);
            return buf;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return memory.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        /** Whether {@code out} lies inside a live buffer of this allocator: the same memory, not a copy. */
        boolean owns(ByteBuf out) {
            if (!out.hasMemoryAddress()) {
                return false;
            }
            long start = out.memoryAddress() + out.readerIndex();
            for (ByteBuf buf : made) {
                if (buf.refCnt() > 0 && buf.hasMemoryAddress() && start >= buf.memoryAddress()
                        && start + out.readableBytes() <= buf.memoryAddress() + buf.capacity()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** First in the client connection's pipeline (next to the socket): sees every byte that leaves. */
    private static final class Watcher extends ChannelOutboundHandlerAdapter {
        final Recording relayMemory;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong uncopied = new AtomicLong();

        Watcher(Recording relayMemory) {
            this.relayMemory = relayMemory;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf out = msg instanceof ByteBuf b ? b : msg instanceof HttpContent c ? c.content() : null;
            if (out != null) {
                bytes.addAndGet(out.readableBytes());
                if (relayMemory.owns(out)) {
                    uncopied.addAndGet(out.readableBytes());
                }
            }
            ctx.write(msg, promise);
        }
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void aRelayedBodyLeavesFromTheBuffersTheStoreWasReadInto(boolean nativeTransport) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport).setEventLoopPoolSize(1));
        assertEquals(nativeTransport, vertx.isNativeTransportEnabled(), "the transport this case is for");
        var memory = new Recording();
        var relay = new DirectRelay(memory, 256 * 1024, 2_000, 60);
        var watcher = new Watcher(memory);
        var supported = new CompletableFuture<Boolean>();
        HttpServer store = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(request -> request.response().end(Buffer.buffer(BLOB)));
        int storePort = listen(store);
        // HTTP/1.1 only, as the gateway speaks to registry-api: no h2c upgrade replaces the pipeline.
        HttpServer registry = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setHttp2ClearTextEnabled(false))
                .requestHandler(request -> {
            Channel channel = ((ConnectionBase) request.connection()).channel();
            channel.pipeline().addFirst("watcher", watcher);
            supported.complete(DirectRelay.supports("http"));
            request.response().putHeader("Content-Length", Integer.toString(BLOB.length));
            relay.relay(DirectRelay.Request.get(URI.create("http://127.0.0.1:" + storePort + "/blob"), List.of()),
                    request.response(), head -> null);
        });
        int registryPort = listen(registry);

        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertArrayEquals(BLOB, response.body());
        assertTrue(supported.get(10, TimeUnit.SECONDS),
                "DirectRelay.supports is false on a real event loop: ContextInternal.nettyEventLoop() changed?");
        assertEquals(1, relay.transfers(), "the GET did not go through the relay");
        // Headers and the first small reads may be merged and copied by the encoder; the bulk must not be.
        assertTrue(watcher.bytes.get() >= BLOB.length, "bytes seen leaving: " + watcher.bytes.get());
        assertTrue(watcher.uncopied.get() >= BLOB.length * 9L / 10,
                "only " + watcher.uncopied.get() + " of " + BLOB.length + " bytes left from the relay's own buffers: "
                        + "Vert.x's HttpServerResponse.write(Buffer.buffer(ByteBuf)) copies them now");
        relay.close();
    }

    @Test
    void aRequestsOwnLoopIsFoundFromAnyThread() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        var requestThread = new CompletableFuture<Thread>();
        var foundThread = new CompletableFuture<Thread>();
        var request = new CompletableFuture<HttpServerRequest>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(r -> {
            requestThread.complete(Thread.currentThread());
            request.complete(r);
            // A thread without any Vert.x context, as a worker pool of someone else's would be.
            new Thread(() -> EventLoops.of(r).runOnContext(v -> {
                foundThread.complete(Thread.currentThread());
                r.response().end("ok");
            })).start();
        });
        int port = listen(server);

        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("ok", response.body());
        assertInstanceOf(HttpServerRequestInternal.class, request.get(10, TimeUnit.SECONDS),
                "Vert.x's request no longer exposes its context: EventLoops.of falls back to the caller's");
        assertSame(requestThread.get(10, TimeUnit.SECONDS), foundThread.get(10, TimeUnit.SECONDS));
    }

    private static int listen(HttpServer server) throws Exception {
        return server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }
}
