package io.berth.registry.api;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pipes an object store's answer to a plain-HTTP GET into a client's response at Netty's level:
 * each piece of the store's body (a pooled, off-heap buffer) goes to the client's connection as it
 * is and is released once the kernel has taken it.
 *
 * <p>Vert.x's HTTP client copies every piece of a body into a new heap array before handing it
 * on, and the server copies it back off the heap to send it. On a 100 MiB pull the zeroing of
 * those arrays, the two copies and the garbage they made were a quarter of registry-api's CPU
 * (perf, docs/benchmarks.md). Here nothing is copied in user space.
 *
 * <p>A transfer runs on the event loop of the client's request, on a connection of that loop's
 * own pool, so both sockets are served by one thread (ADR 0016). Connections are kept alive and
 * reused; one that the store closed while it sat idle is noticed before the answer's first byte
 * and the GET is sent again on a new one. Back-pressure: when the client's write queue is full,
 * the store's connection stops reading until it drains.
 *
 * <p>Only {@code http} sources on an epoll or NIO event loop: {@link #supports} says which.
 * The others (TLS to the store) keep Vert.x's client in {@link BlobBodyWriter}, where encryption
 * costs more than the copies do.
 */
public final class StorePipe {

    /** Idle connections kept per event loop and store address. */
    static final int MAX_IDLE = 64;

    private final ByteBufAllocator allocator;
    private final int maxChunkBytes;
    private final long idleTimeoutSeconds;
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();
    private final LongAdder transfers = new LongAdder();
    private volatile boolean closed;

    /**
     * @param allocator where the store's connections read into (tests pass one that counts)
     * @param maxChunkBytes the largest piece of a body handed on at once
     * @param idleTimeoutSeconds a connection with no traffic for this long is closed, mid-transfer or idle
     */
    public StorePipe(ByteBufAllocator allocator, int maxChunkBytes, long idleTimeoutSeconds) {
        this.allocator = allocator;
        this.maxChunkBytes = maxChunkBytes;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public StorePipe() {
        this(PooledByteBufAllocator.DEFAULT, StoreHttpClient.MAX_CHUNK_BYTES, TimeUnit.MINUTES.toSeconds(5));
    }

    /** Whether {@link #pipe} can fetch this source from the calling event loop. */
    public static boolean supports(URI source) {
        return "http".equalsIgnoreCase(source.getScheme()) && channelType(currentLoop()) != null;
    }

    /**
     * GETs {@code source} (with {@code range} as its Range header, when not null) and writes the
     * body to {@code response}, then ends it. Call on the response's event loop. The future fails
     * with {@link StoreAnswered} when the store answers other than 200 or 206 (nothing is written
     * then), and with the cause when either connection fails; the caller answers or resets.
     */
    public Future<Void> pipe(URI source, String range, HttpServerResponse response) {
        EventLoop loop = currentLoop();
        Class<? extends SocketChannel> type = channelType(loop);
        if (type == null || closed) {
            return Future.failedFuture(new IllegalStateException(
                    closed ? "the store pipe is closed" : "the store pipe runs on an epoll or NIO event loop only"));
        }
        transfers.increment();
        Promise<Void> done = ((ContextInternal) io.vertx.core.Vertx.currentContext()).promise();
        Transfer transfer = new Transfer(source, range, response, done);
        transfer.start(loop, type);
        return transfer.done.future();
    }

    /** How many transfers {@link #pipe} has started. */
    long transfers() {
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

    private static EventLoop currentLoop() {
        Context context = io.vertx.core.Vertx.currentContext();
        if (!(context instanceof ContextInternal internal) || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the store pipe is used from an event loop only");
        }
        return internal.nettyEventLoop();
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

    private ArrayDeque<Channel> idleOn(EventLoop loop, String authority) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>()).computeIfAbsent(authority, a -> new ArrayDeque<>());
    }

    /** The store answered something other than the bytes. */
    public static final class StoreAnswered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StoreAnswered(int status) {
            super("object store answered " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Last in every store connection's pipeline: closes it when it has been idle too long or
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
            // Bytes on a connection with no GET in flight: it cannot be reused.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /**
     * One GET and its body, on one connection (two, when a reused one turns out closed: hence
     * sharable, though it is never in two pipelines at once).
     */
    @ChannelHandler.Sharable
    private final class Transfer extends ChannelInboundHandlerAdapter {
        private final URI source;
        private final String authority;
        private final String range;
        private final HttpServerResponse response;
        private final Promise<Void> done;
        /** The bytes the response announced (its Content-Length), or -1 when it did not. */
        private final long expected;
        private Channel channel;
        private long sent;
        private boolean reused;
        private boolean answered;
        private boolean failedStatus;
        private boolean keepAlive;
        private boolean finished;

        Transfer(URI source, String range, HttpServerResponse response, Promise<Void> done) {
            this.source = source;
            this.authority = source.getRawAuthority();
            this.range = range;
            this.response = response;
            this.done = done;
            String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            this.expected = length == null ? -1 : Long.parseLong(length);
        }

        void start(EventLoop loop, Class<? extends SocketChannel> type) {
            response.setWriteQueueMaxSize(StoreHttpClient.WRITE_QUEUE_BYTES);
            response.closeHandler(v -> fail(new IOException("the client closed the connection")));
            response.drainHandler(v -> {
                if (!finished && channel != null) {
                    channel.config().setAutoRead(true);
                }
            });
            ArrayDeque<Channel> pooled = idleOn(loop, authority);
            Channel ready;
            while ((ready = pooled.pollFirst()) != null && !ready.isActive()) {
                ready.close();
            }
            if (ready != null) {
                reused = true;
                attach(ready);
            } else {
                connect(loop, type);
            }
        }

        private void connect(EventLoop loop, Class<? extends SocketChannel> type) {
            reused = false;
            int port = source.getPort() == -1 ? 80 : source.getPort();
            new Bootstrap().group(loop).channel(type)
                    .option(ChannelOption.ALLOCATOR, allocator)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("http", new HttpClientCodec(4096, 16 * 1024, maxChunkBytes));
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSeconds, TimeUnit.SECONDS));
                            ch.pipeline().addLast("closer", Closer.INSTANCE);
                            ch.closeFuture().addListener(f -> idleOn(loop, authority).remove(ch));
                        }
                    })
                    .connect(source.getHost(), port)
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            fail(connected.cause());
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
            String target = source.getRawPath() + (source.getRawQuery() == null ? "" : "?" + source.getRawQuery());
            var get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
            get.headers().set(HttpHeaderNames.HOST, authority).set(HttpHeaderNames.CONTENT_LENGTH, 0);
            if (range != null) {
                get.headers().set(HttpHeaderNames.RANGE, range);
            }
            ch.config().setAutoRead(true);
            ch.writeAndFlush(get).addListener((ChannelFutureListener) written -> {
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
                    int status = head.status().code();
                    if (status != 200 && status != 206) {
                        // The error's body is read to its end, so the connection can be reused.
                        failedStatus = true;
                        fail(new StoreAnswered(status));
                    }
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

        private void send(ByteBuf piece) {
            int size = piece.readableBytes();
            if (size == 0) {
                return;
            }
            if (expected >= 0 && sent + size > expected) {
                fail(new IOException("the object store sent more than the " + expected + " bytes announced"));
                return;
            }
            sent += size;
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
            if (response.writeQueueFull()) {
                channel.config().setAutoRead(false);
            }
        }

        private void finish() {
            if (expected >= 0 && sent != expected) {
                fail(new IOException("the object store sent " + sent + " of the " + expected + " bytes announced"));
                return;
            }
            finished = true;
            response.end().onComplete(done);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken(ctx.channel(), cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            broken(ctx.channel(), new IOException("the object store closed the connection"));
            ctx.fireChannelInactive();
        }

        /** The connection failed under this transfer: it is closed, and the GET sent again or the transfer failed. */
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
                // An idle connection the store had closed: a GET is safe to send again, once.
                connect(ch.eventLoop(), ch.getClass().asSubclass(SocketChannel.class));
            } else {
                fail(cause);
            }
        }

        /** Ends this transfer with an error. Its connection is closed unless an error answer is being read to its end. */
        private void fail(Throwable cause) {
            if (finished) {
                return;
            }
            finished = true;
            Channel ch = channel;
            if (ch != null && !failedStatus) {
                channel = null;
                ch.pipeline().remove(this);
                ch.close();
            }
            done.tryFail(cause);
        }

        /** Gives a connection read to its end back to the pool, or closes it. */
        private void release(Channel ch) {
            channel = null;
            ch.pipeline().remove(this);
            ArrayDeque<Channel> pooled = idleOn(ch.eventLoop(), authority);
            if (!keepAlive || closed || !ch.isActive() || pooled.size() >= MAX_IDLE) {
                ch.close();
            } else {
                pooled.addFirst(ch);
            }
        }
    }
}
