package io.berth.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Relays an upstream's answer to a plain-HTTP request without a body (a GET or HEAD) into a
 * Vert.x server response at Netty's level: each piece of the upstream's body (a pooled, off-heap
 * buffer) goes to the client's connection as it is and is released once the kernel has taken it.
 * registry-api relays blob GETs from the object store with it, the gateway GETs and HEADs from
 * registry-api.
 *
 * <p>Vert.x's HTTP client copies every piece of a body into a new heap array before handing it
 * on, and the server copies it back off the heap to send it. On a 100 MiB pull the zeroing of
 * those arrays, the two copies and the garbage they made were a quarter of registry-api's CPU
 * (perf, docs/benchmarks.md). Here nothing is copied in user space.
 *
 * <p>A transfer runs on the event loop of the client's request, on a connection of that loop's
 * own pool, so both sockets are served by one thread (ADR 0016). Connections are kept alive and
 * reused; one that the upstream closed while it sat idle is noticed before the answer's first
 * byte and the request is sent again on a new one. Back-pressure: when the client's write queue
 * is full, the upstream's connection stops reading until it drains. Large transfers are kept in
 * step with each other across event loops ({@link FairShare}), so that concurrent pulls share
 * the CPU evenly instead of by the loop each happened to land on. Never more than the response
 * announces (its Content-Length) is sent, and an answer that ends short resets the client.
 *
 * <p>Only {@code http} upstreams on an epoll or NIO event loop: {@link #supports} says which.
 * The callers keep Vert.x's client for the others (TLS), where encryption costs more than the
 * copies do.
 *
 * <p>This package is the one place in berth that depends on Vert.x's and Netty's internals
 * ({@code ContextInternal.nettyEventLoop()}, Netty channels, and that {@code
 * HttpServerResponse.write} sends a wrapped {@code ByteBuf} without copying it). Its public types
 * take and give only Vert.x's public API and berth's own records ({@link Request}, {@link Head}).
 * InternalsTest fails if an upgrade of Vert.x or Netty breaks either assumption (ADR 0023).
 */
public final class DirectRelay {

    /** Idle connections kept per event loop and upstream address. */
    static final int MAX_IDLE = 64;

    /**
     * Bytes queued for a client before the upstream is paused. Netty's default 64 KiB mark would
     * pause it every few packets; this lets both stream, at a bounded cost per transfer.
     */
    public static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    /**
     * How far one large transfer may run ahead of the slowest of the others ({@link FairShare}).
     * Transfers smaller than this are never held back, so they do not take part. 4 MiB is about
     * 10 ms of one transfer's progress when four share two cores: enough to ride over a loop
     * thread's turn off the CPU without idling the other loop (ADR 0019).
     */
    static final int FAIR_SHARE_SLACK = 4 * 1024 * 1024;

    /**
     * Reads of an upstream connection per event, at most (Netty's default is 16). Fewer lets a
     * loop turn more often to its other connections, so a small request waits less behind large
     * transfers (ADR 0019).
     */
    static final int READS_PER_EVENT = 4;

    /**
     * The smallest and the first read of an upstream connection (Netty's defaults). Reads grow
     * from there up to the largest piece handed on, not Netty's 64 KiB: a large body then moves in
     * a quarter of the reads and writes, and registry-api's CPU per 256 MiB pull fell by 5–20 %,
     * the most with a client as slow as skopeo (docs/benchmarks.md).
     */
    private static final int MIN_READ_BYTES = 64;
    private static final int FIRST_READ_BYTES = 2048;

    /** Events in a row that drain an upstream's connection before its upstream is taken to set its pace. */
    static final int DRAINED_EVENTS = 3;

    private final ByteBufAllocator allocator;
    private final int maxChunkBytes;
    private final int connectTimeoutMillis;
    private final long idleTimeoutSeconds;
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();
    private final LongAdder transfers = new LongAdder();
    private final FairShare share = new FairShare(FAIR_SHARE_SLACK);
    private volatile boolean closed;

    /**
     * @param allocator where upstream connections read into (tests pass one that counts)
     * @param maxChunkBytes the largest piece of a body handed on at once
     * @param connectTimeoutMillis how long a connection may take to open
     * @param idleTimeoutSeconds a connection with no traffic for this long is closed, mid-transfer or idle
     */
    public DirectRelay(ByteBufAllocator allocator, int maxChunkBytes, int connectTimeoutMillis, long idleTimeoutSeconds) {
        this.allocator = allocator;
        this.maxChunkBytes = maxChunkBytes;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** Netty's pooled allocator, and pieces of up to {@code maxChunkBytes}. */
    public DirectRelay(int maxChunkBytes, int connectTimeoutMillis, long idleTimeoutSeconds) {
        this(PooledByteBufAllocator.DEFAULT, maxChunkBytes, connectTimeoutMillis, idleTimeoutSeconds);
    }

    /** Whether {@link #relay} can reach an upstream of this scheme from the calling thread. */
    public static boolean supports(String scheme) {
        return "http".equalsIgnoreCase(scheme) && Context.isOnEventLoopThread()
                && io.vertx.core.Vertx.currentContext() instanceof ContextInternal internal
                && channelType(internal.nettyEventLoop()) != null;
    }

    /**
     * An upstream request, which has no body.
     *
     * @param address the host name or IP address to connect to
     * @param authority the Host header
     * @param target the path and query
     */
    public record Request(String address, int port, String authority, String method, String target,
            Iterable<Map.Entry<String, String>> headers) {
        /**
         * @param method GET or HEAD: the relay sends no request body
         * @throws IllegalArgumentException if {@code method} is another
         */
        public Request {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                throw new IllegalArgumentException("the relay sends GET and HEAD only, not " + method);
            }
        }

        /** A GET of {@code uri}, with its headers. */
        public static Request get(URI uri, Iterable<Map.Entry<String, String>> headers) {
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Request(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort(), uri.getRawAuthority(), "GET",
                    target, headers);
        }
    }

    /**
     * The upstream's status line and headers, before its body. berth's own type, so that no Netty
     * type leaves this package.
     *
     * @param status the status code
     * @param headers every header, in the order received
     */
    public record Head(int status, List<Map.Entry<String, String>> headers) {
        /** The first value of header {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (var h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    /** Decides on the upstream's answer before its body: sets the response's status and headers. */
    @FunctionalInterface
    public interface HeadHandler {
        /**
         * @return null to relay the body into the response; otherwise the transfer fails with
         *     this, nothing is written, and the upstream's body is read to its end and dropped
         */
        RuntimeException head(Head head);
    }

    /** The upstream could not be reached: nothing was sent to it, so another may be tried. */
    public static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(Throwable cause) {
            super("cannot connect: " + cause.getMessage(), cause);
        }
    }

    /**
     * Sends {@code request} upstream and relays the answer into {@code response}, then ends it.
     * Call on the response's event loop. {@code onHead} sees the answer's status and headers
     * first. The future fails with {@link Unreachable} when no connection could be opened (nothing
     * written), with what {@code onHead} returned, or with the cause when either connection fails
     * (the response's head may be written then; the caller answers or resets).
     */
    public Future<Void> relay(Request request, HttpServerResponse response, HeadHandler onHead) {
        if (!supports("http")) {
            return Future.failedFuture(new IllegalStateException("the relay runs on an epoll or NIO event loop only"));
        }
        if (closed) {
            return Future.failedFuture(new IllegalStateException("the relay is closed"));
        }
        ContextInternal context = (ContextInternal) io.vertx.core.Vertx.currentContext();
        EventLoop loop = context.nettyEventLoop();
        transfers.increment();
        Promise<Void> done = context.promise();
        Transfer transfer = new Transfer(request, response, onHead, done, loop);
        try {
            transfer.start();
        } catch (RuntimeException e) {
            transfer.fail(e);
        }
        return done.future();
    }

    /** How many transfers {@link #relay} has started. */
    public long transfers() {
        return transfers.sum();
    }

    /** Closes the idle connections; transfers under way finish on theirs. */
    public void close() {
        closed = true;
        idle.forEach((loop, byAddress) -> {
            try {
                loop.execute(() -> byAddress.values().forEach(channels -> {
                    for (Channel ch; (ch = channels.pollFirst()) != null; ) {
                        ch.close();
                    }
                }));
            } catch (RejectedExecutionException stopped) {
                // The loop has shut down, and its connections with it.
            }
        });
    }

    private static Class<? extends SocketChannel> channelType(EventLoop loop) {
        if (loop.parent() instanceof EpollEventLoopGroup) {
            return EpollSocketChannel.class;
        }
        if (loop.parent() instanceof NioEventLoopGroup) {
            return NioSocketChannel.class;
        }
        return null;
    }

    private ArrayDeque<Channel> idleOn(EventLoop loop, String address) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(address, a -> new ArrayDeque<>());
    }

    /**
     * Last in every upstream connection's pipeline: closes it when it has been idle too long or
     * failed while no transfer was attached (a transfer sits before it and sees both first).
     */
    @ChannelHandler.Sharable
    private static final class Closer extends ChannelInboundHandlerAdapter {
        static final Closer INSTANCE = new Closer();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Bytes on a connection with no request in flight: it cannot be reused.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /**
     * One request and its answer, on one connection (two, when a reused one turns out closed:
     * hence sharable, though it is never in two pipelines at once).
     */
    @ChannelHandler.Sharable
    private final class Transfer extends ChannelInboundHandlerAdapter {
        private final Request request;
        private final String address;
        private final HttpServerResponse response;
        private final HeadHandler onHead;
        private final Promise<Void> done;
        /** The loop of the client's request, which serves the upstream's connection too. */
        private final EventLoop loop;
        private final Class<? extends SocketChannel> type;
        private Channel channel;
        /** The bytes the response announced (its Content-Length), or -1 when it did not. */
        private long expected = -1;
        private long sent;
        private boolean reused;
        private boolean answered;
        /** The answer was refused by the head handler: its body is read to its end and dropped. */
        private boolean refused;
        private boolean keepAlive;
        private boolean finished;
        private FairShare.Flow flow;
        /** Pieces read from the upstream since the event loop last finished reading it. */
        private int piecesThisRead;
        /** Read events in a row that drained the upstream's connection. */
        private int drainedInARow;

        Transfer(Request request, HttpServerResponse response, HeadHandler onHead, Promise<Void> done, EventLoop loop) {
            this.request = request;
            this.loop = loop;
            this.type = channelType(loop);
            this.address = request.address() + ":" + request.port();
            this.response = response;
            this.onHead = onHead;
            this.done = done;
        }

        void start() {
            response.closeHandler(v -> fail(new IOException("the client closed the connection")));
            response.drainHandler(v -> {
                if (flow != null) {
                    share.blocked(flow, false);
                }
                resume();
            });
            ArrayDeque<Channel> pooled = idleOn(loop, address);
            Channel ready;
            while ((ready = pooled.pollFirst()) != null && !ready.isActive()) {
                ready.close();
            }
            if (ready != null) {
                reused = true;
                attach(ready);
            } else {
                connect();
            }
        }

        private void connect() {
            reused = false;
            new Bootstrap().group(loop).channel(type)
                    .option(ChannelOption.ALLOCATOR, allocator)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(MIN_READ_BYTES, FIRST_READ_BYTES,
                            maxChunkBytes).maxMessagesPerRead(READS_PER_EVENT))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("http", new HttpClientCodec(4096, 16 * 1024, maxChunkBytes));
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSeconds, TimeUnit.SECONDS));
                            ch.pipeline().addLast("closer", Closer.INSTANCE);
                            ch.closeFuture().addListener(f -> idleOn(loop, address).remove(ch));
                        }
                    })
                    .connect(request.address(), request.port())
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            fail(new Unreachable(connected.cause()));
                        } else if (finished) {
                            connected.channel().close();
                        } else {
                            try {
                                attach(connected.channel());
                            } catch (RuntimeException e) {
                                connected.channel().close();
                                fail(e);
                            }
                        }
                    });
        }

        private void attach(Channel ch) {
            channel = ch;
            ch.pipeline().addBefore("closer", "transfer", this);
            var upstream = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                    request.target());
            for (var header : request.headers()) {
                upstream.headers().add(header.getKey(), header.getValue());
            }
            // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body.
            upstream.headers().set(HttpHeaderNames.HOST, request.authority()).remove(HttpHeaderNames.CONNECTION)
                    .remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.CONTENT_LENGTH);
            ch.config().setAutoRead(true);
            ch.writeAndFlush(upstream).addListener((ChannelFutureListener) written -> {
                if (!written.isSuccess()) {
                    broken(ch, written.cause());
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse head) {
                    answered = true;
                    keepAlive = HttpUtil.isKeepAlive(head);
                    head(head);
                }
                if (msg instanceof HttpContent piece) {
                    if (!finished) {
                        send(piece.content());
                    }
                    if (msg instanceof LastHttpContent) {
                        if (!finished) {
                            finish();
                        }
                        if (channel == ctx.channel()) {
                            release(ctx.channel());
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void head(HttpResponse head) {
            RuntimeException refusal;
            try {
                refusal = onHead.head(new Head(head.status().code(), head.headers().entries()));
            } catch (RuntimeException e) {
                refusal = e;
            }
            if (refusal != null) {
                // The refused answer's body is read to its end, so the connection can be reused.
                refused = true;
                fail(refusal);
                return;
            }
            int status = head.status().code();
            boolean bodiless = "HEAD".equals(request.method()) || status == 204 || status == 304 || status < 200;
            String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            expected = bodiless ? -1 : length == null ? -1 : Long.parseLong(length);
            response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            if (expected > FAIR_SHARE_SLACK) {
                flow = share.join(this::wake);
            }
        }

        /** From any thread: the others have caught up. */
        private void wake() {
            try {
                loop.execute(this::resume);
            } catch (RejectedExecutionException stopped) {
                // The loop has shut down, and this transfer's connections with it.
            }
        }

        /** Reads the upstream again, unless the client's queue is full or the others are behind. */
        private void resume() {
            if (finished || channel == null || response.writeQueueFull()) {
                return;
            }
            if (flow == null || share.mayRead(flow)) {
                channel.config().setAutoRead(true);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Fewer reads than allowed while still reading: the upstream's connection is drained.
            if (flow != null && !finished && ctx.channel() == channel && channel.config().isAutoRead()) {
                if (piecesThisRead < READS_PER_EVENT) {
                    if (++drainedInARow == DRAINED_EVENTS) {
                        share.idle(flow, true);
                    }
                } else {
                    if (drainedInARow >= DRAINED_EVENTS) {
                        share.idle(flow, false);
                    }
                    drainedInARow = 0;
                }
            }
            piecesThisRead = 0;
            ctx.fireChannelReadComplete();
        }

        private void send(ByteBuf piece) {
            int size = piece.readableBytes();
            if (size == 0) {
                return;
            }
            if (expected >= 0 && sent + size > expected) {
                fail(new IOException("the upstream sent more than the " + expected + " bytes announced"));
                return;
            }
            sent += size;
            piecesThisRead++;
            ByteBuf kept = piece.retain();
            try {
                // Vert.x writes the buffer as it is, wrapped so that it cannot release it itself:
                // it is released here once the write is done, whether it went out or not.
                response.write(Buffer.buffer(kept)).onComplete(written -> kept.release());
            } catch (RuntimeException e) {
                kept.release();
                fail(e);
                return;
            }
            boolean go = flow == null || share.sent(flow, size);
            if (response.writeQueueFull()) {
                channel.config().setAutoRead(false);
                if (flow != null) {
                    share.blocked(flow, true);
                }
            } else if (!go) {
                channel.config().setAutoRead(false);
            }
        }

        private void finish() {
            if (expected >= 0 && sent != expected) {
                fail(new IOException("the upstream sent " + sent + " of the " + expected + " bytes announced"));
                return;
            }
            finished = true;
            leave();
            response.end().onComplete(done);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken(ctx.channel(), cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            broken(ctx.channel(), new IOException("the upstream closed the connection"));
            ctx.fireChannelInactive();
        }

        /** The connection failed under this transfer: it is closed, and the request sent again or the transfer failed. */
        private void broken(Channel ch, Throwable cause) {
            if (ch != channel) {
                return;
            }
            channel = null;
            ch.pipeline().remove(this);
            ch.close();
            if (finished) {
                return;
            }
            if (reused && !answered) {
                // An idle connection the upstream had closed: a request without a body is safe
                // to send again, once.
                connect();
            } else {
                fail(cause);
            }
        }

        /** Ends this transfer with an error. Its connection is closed unless a refused answer is being read to its end. */
        void fail(Throwable cause) {
            if (finished) {
                return;
            }
            finished = true;
            leave();
            Channel ch = channel;
            if (ch != null && !refused) {
                channel = null;
                ch.pipeline().remove(this);
                ch.close();
            }
            done.tryFail(cause);
        }

        private void leave() {
            if (flow != null) {
                share.leave(flow);
            }
        }

        /** Gives a connection read to its end back to the pool, or closes it. */
        private void release(Channel ch) {
            channel = null;
            ch.pipeline().remove(this);
            ArrayDeque<Channel> pooled = idleOn(loop, address);
            if (!keepAlive || closed || !ch.isActive() || pooled.size() >= MAX_IDLE) {
                ch.close();
            } else {
                pooled.addFirst(ch);
            }
        }
    }
}
