package io.berth.gateway.proxy;

import io.berth.errors.Surface;
import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import io.berth.gateway.config.GatewayConfig;
import io.berth.oci.RegistryErrorCode;
import io.berth.relay.DirectRelay;
import io.berth.security.net.TrustedProxies;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The reverse proxy: every request a route of {@link RouteTable} matches goes to an instance of
 * its upstream, with its body streamed both ways under back-pressure (Vert.x pipes), so a 5 GiB
 * blob passes in flat memory. Manifests are the one body read before it is sent on, and only
 * when it comes chunked: at most {@code limits.manifest-max-bytes}.
 *
 * <p>On the way it:
 * <ul>
 *   <li>limits each client address ({@link RateLimiter}), answering 429 (TOOMANYREQUESTS on
 *       {@code /v2}, TOO_MANY_REQUESTS elsewhere: libs/errors' {@link Surface} picks the
 *       vocabulary, as in every service);
 *   <li>refuses a manifest over the limit with 413 MANIFEST_INVALID before the upstream sees it;
 *   <li>tells the upstream the external scheme, host and client ({@code X-Forwarded-*} and
 *       {@code Forwarded}), so its 401 realm and locations name what the client used;
 *   <li>rewrites a {@code Location} that names an upstream instance to the external origin, and
 *       leaves any other (a 307 to object storage) as it is;
 *   <li>marks upload locations with the instance that holds the session
 *       ({@value #INSTANCE_PARAM}), so its chunks go back there while it lives;
 *   <li>tries the next instance when one refuses the connection (the body is not read before
 *       a connection is made, so nothing is lost), and answers 503 UNAVAILABLE with
 *       {@code Retry-After} when none takes it or the one that did fails before answering;
 *   <li>adds HSTS to HTTPS answers, and writes one access-log line per request.
 * </ul>
 */
@ApplicationScoped
public class Proxy {

    private static final Logger LOG = Logger.getLogger(Proxy.class);

    /** The query parameter of upload locations that names the instance holding the session. */
    static final String INSTANCE_PARAM = "berth-instance";

    private static final Pattern UPLOAD = Pattern.compile("/v2/.+/blobs/uploads/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/.+/manifests/[^/]+");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect", "host",
            "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "content-length");
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The largest piece of a body handed on at once. Netty's HTTP decoder cuts a body into pieces
     * of at most this, and each piece goes to the other side with a syscall of its own; the
     * default 8 KiB made eight sends per read in registry-api's pulls (docs/benchmarks.md).
     */
    private static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final GatewayConfig config;
    private final Upstreams upstreams;
    private final RouteTable routes;
    private final RateLimiter limiter;
    private final TrustedProxies trusted;
    private final HttpClientOptions clientOptions;
    /**
     * One client per event loop: its connections live on the loop that made them, so the bytes
     * of a transfer go from one socket to the other on one thread. A client shared by all loops
     * hands every chunk between two threads, and on two cores that switching cost more than the
     * copying (docs/benchmarks.md).
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final long resolveTimer;
    private final Vertx vertx;
    /** GETs and HEADs to plain-HTTP instances, without Vert.x's copies of the answer's body. */
    private final DirectRelay relay;

    public Proxy(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.upstreams = new Upstreams(config.upstreams(), config.client().downFor());
        this.routes = new RouteTable(config.routes(), upstreams.names());
        this.limiter = new RateLimiter(config.limits().requestsPerSecond(), config.limits().burst());
        this.trusted = new TrustedProxies(config.forwarding().trustedProxies().orElse(List.of()));
        var c = config.client();
        this.clientOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setMaxPoolSize(c.poolSize())
                .setConnectTimeout((int) c.connectTimeout().toMillis())
                .setIdleTimeout((int) c.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setMaxChunkSize(MAX_CHUNK_BYTES);
        this.relay = c.directRelay()
                ? new DirectRelay(MAX_CHUNK_BYTES, (int) c.connectTimeout().toMillis(), c.idleTimeout().toSeconds())
                : null;
        long every = Math.max(1000, c.resolveEvery().toMillis());
        this.resolveTimer = vertx.setPeriodic(every, id -> vertx.executeBlocking(() -> {
            upstreams.resolve();
            return null;
        }, false));
    }

    /** How many requests went through the direct relay (none when it is off). */
    public long relayedDirectly() {
        return relay == null ? 0 : relay.transfers();
    }

    void install(@Observes Router router) {
        // Before Quarkus's own routes: a path no route matches falls through to them.
        router.route().order(-1000).handler(this::handle);
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(resolveTimer);
        if (relay != null) {
            relay.close();
        }
        clients.values().forEach(HttpClient::close);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String path = req.path();
        Optional<String> upstream = routes.upstreamFor(path);
        if (upstream.isEmpty()) {
            ctx.next();
            return;
        }
        req.pause();
        long start = System.nanoTime();
        Origin origin = Origin.of(req, trusted);
        SpanContext span = Span.current().getSpanContext();
        String traceparent = span.isValid()
                ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
                : traceparent(req.getHeader("traceparent"));
        Exchange ex = new Exchange(ctx, upstream.get(), origin, traceparent, span.isValid(), start);
        ctx.addEndHandler(done -> ex.log());

        long wait = limiter.acquire(origin.clientIp(), start);
        if (wait > 0) {
            ex.fail(WireErrors.forStatus(Surface.of(path), 429,
                    "too many requests from " + origin.clientIp() + "; try again in " + wait + " s", null).retryAfter(wait));
            return;
        }
        if (req.method() == HttpMethod.PUT && MANIFEST.matcher(path).matches()) {
            long max = config.limits().manifestMaxBytes();
            String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && parseLong(length) > max) {
                ex.tooLarge(max);
                return;
            }
            if (length == null && hasBody(req)) {
                readManifest(ex, max);
                return;
            }
        }
        ex.send(null);
    }

    /** A chunked manifest: read it (at most {@code max} bytes) before sending it on. */
    private void readManifest(Exchange ex, long max) {
        HttpServerRequest req = ex.ctx.request();
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (ex.answered) {
                return;
            }
            body.appendBuffer(chunk);
            if (body.length() > max) {
                ex.tooLarge(max);
            }
        });
        req.endHandler(v -> {
            if (!ex.answered) {
                ex.send(body);
            }
        });
        req.resume();
    }

    /** One proxied request. */
    private final class Exchange {
        final RoutingContext ctx;
        final String upstream;
        final Origin origin;
        final String traceparent;
        final boolean traced;
        final long start;
        final Optional<String> session;
        final Optional<String> preferred;
        final String uri;
        String instance = "-";
        boolean answered;

        Exchange(RoutingContext ctx, String upstream, Origin origin, String traceparent, boolean traced, long start) {
            this.ctx = ctx;
            this.upstream = upstream;
            this.origin = origin;
            this.traceparent = traceparent;
            this.traced = traced;
            this.start = start;
            HttpServerRequest req = ctx.request();
            Matcher upload = UPLOAD.matcher(req.path());
            this.session = upload.matches() ? Optional.of(upload.group(1)) : Optional.empty();
            this.preferred = Optional.ofNullable(req.getParam(INSTANCE_PARAM));
            this.uri = withoutParam(req.uri(), INSTANCE_PARAM);
        }

        /** Sends the request to the first instance that takes the connection. */
        void send(Buffer body) {
            List<Instance> candidates = upstreams.candidates(upstream, session, preferred);
            attempt(candidates, 0, body);
        }

        private void attempt(List<Instance> candidates, int index, Buffer body) {
            if (index >= candidates.size()) {
                fail(unavailable("no instance of " + upstream + " answers; try again shortly"));
                return;
            }
            Instance target = candidates.get(index);
            HttpServerRequest req = ctx.request();
            if (body == null && relay != null && !target.ssl() && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
                    && !hasBody(req) && DirectRelay.supports("http")) {
                relayDirect(candidates, index, target);
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(req.method())
                    .setServer(SocketAddress.inetSocketAddress(target.port(), target.address()))
                    .setHost(target.host())
                    .setPort(target.port())
                    .setSsl(target.ssl())
                    .setURI(uri)
                    .setHeaders(upstreamHeaders(req));
            clients.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(clientOptions))
                    .request(options).onComplete(ar -> {
                if (ar.failed()) {
                    upstreams.markDown(target);
                    LOG.debugf("instance %s of %s refused a connection: %s", target.authority(), upstream,
                            ar.cause().getMessage());
                    attempt(candidates, index + 1, body);
                    return;
                }
                upstreams.markUp(target);
                instance = target.address() + ":" + target.port();
                forward(ar.result(), target, body);
            });
        }

        private MultiMap upstreamHeaders(HttpServerRequest req) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            Set<String> named = connectionTokens(req.getHeader(HttpHeaders.CONNECTION));
            for (var h : req.headers()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !name.startsWith(":")) {
                    headers.add(h.getKey(), h.getValue());
                }
            }
            String peer = req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
            String chain = req.getHeader("X-Forwarded-For");
            headers.set("X-Forwarded-For", chain != null && trusted.trusts(peer) ? chain + ", " + peer : origin.clientIp());
            headers.set("X-Forwarded-Proto", origin.scheme());
            headers.set("X-Forwarded-Host", origin.host());
            headers.set("Forwarded", "for=\"" + origin.clientIp() + "\";proto=" + origin.scheme() + ";host=\"" + origin.host() + "\"");
            if (!traced) {
                // Without a span of its own (tracing off), the gateway passes the trace on itself;
                // with one, the instrumented client sends the child span's context.
                headers.set("traceparent", traceparent);
            }
            return headers;
        }

        private void forward(HttpClientRequest upstreamRequest, Instance target, Buffer body) {
            HttpServerRequest req = ctx.request();
            upstreamRequest.response().onComplete(ar -> {
                if (ar.failed()) {
                    upstreamFailed(ar.cause());
                } else {
                    relay(ar.result(), target);
                }
            });
            upstreamRequest.exceptionHandler(this::upstreamFailed);
            if (body != null) {
                upstreamRequest.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
                upstreamRequest.end(body);
                return;
            }
            String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                upstreamRequest.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else if (hasBody(req)) {
                upstreamRequest.setChunked(true);
            }
            if (req.isEnded()) {
                upstreamRequest.end();
            } else {
                req.pipeTo(upstreamRequest).onFailure(e -> {
                    // The client went away mid-body: the upstream must not take a half body.
                    upstreamRequest.reset(0, e);
                });
            }
        }

        /**
         * A GET or HEAD through {@link DirectRelay}: the answer's body goes to the client without
         * a copy. The same failover as {@link #attempt}: an instance that takes no connection is
         * marked down and the next one tried.
         */
        private void relayDirect(List<Instance> candidates, int index, Instance target) {
            HttpServerRequest req = ctx.request();
            MultiMap headers = upstreamHeaders(req);
            // No instrumented client on this path: the upstream continues the gateway's span.
            headers.set("traceparent", traceparent);
            String authority = target.port() == 80 ? target.host() : target.host() + ":" + target.port();
            var request = new DirectRelay.Request(target.address(), target.port(), authority,
                    req.method().name(), uri, headers);
            HttpServerResponse resp = ctx.response();
            if (!req.isEnded()) {
                // Paused on arrival; without a body there is nothing to read but its end.
                req.resume();
            }
            var answeredElsewhere = new IllegalStateException("the request was answered already");
            relay.relay(request, resp, head -> {
                upstreams.markUp(target);
                instance = target.address() + ":" + target.port();
                if (answered || resp.closed()) {
                    return answeredElsewhere;
                }
                answered = true;
                answerHead(head.status(), head.headers(), head::header, target);
                return null;
            }).onFailure(cause -> {
                if (cause == answeredElsewhere) {
                    return;
                }
                if (cause instanceof DirectRelay.Unreachable && !answered) {
                    upstreams.markDown(target);
                    LOG.debugf("instance %s of %s refused a connection: %s", target.authority(), upstream, cause.getMessage());
                    attempt(candidates, index + 1, null);
                } else if (!answered) {
                    upstreamFailed(cause);
                } else if (!resp.closed()) {
                    // Broken mid-body: end the client's response, so it does not wait for bytes that will not come.
                    resp.reset();
                }
            });
        }

        private void relay(HttpClientResponse upstreamResponse, Instance target) {
            HttpServerResponse resp = ctx.response();
            if (answered || resp.closed()) {
                upstreamResponse.request().reset();
                return;
            }
            answered = true;
            answerHead(upstreamResponse.statusCode(), upstreamResponse.headers(), upstreamResponse::getHeader, target);
            upstreamResponse.pipeTo(resp).onFailure(e -> {
                // Either side broke mid-body: end both, so neither waits for bytes that will not come.
                upstreamResponse.request().reset();
                if (!resp.closed()) {
                    resp.reset();
                }
            });
        }

        /** The upstream's status and headers on the client's response: hop-by-hop ones dropped, a Location rewritten. */
        private void answerHead(int status, Iterable<Map.Entry<String, String>> headers, UnaryOperator<String> header,
                Instance target) {
            HttpServerResponse resp = ctx.response();
            resp.setStatusCode(status);
            Set<String> named = connectionTokens(header.apply(HttpHeaders.CONNECTION.toString()));
            for (var h : headers) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || (!HOP_BY_HOP.contains(name) && !named.contains(name))) {
                    resp.headers().add(h.getKey(), h.getValue());
                }
            }
            String location = header.apply(HttpHeaders.LOCATION.toString());
            if (location != null) {
                resp.headers().set(HttpHeaders.LOCATION, rewriteLocation(location, target));
            }
            hsts(resp);
            if (header.apply(HttpHeaders.CONTENT_LENGTH.toString()) == null && carriesBody(status)
                    && ctx.request().method() != HttpMethod.HEAD) {
                resp.setChunked(true);
            }
        }

        private void upstreamFailed(Throwable cause) {
            if (answered) {
                return;
            }
            LOG.debugf("%s %s to %s failed: %s", ctx.request().method(), ctx.request().path(), instance, cause.getMessage());
            fail(unavailable("the " + upstream + " instance failed while answering; try again shortly"));
        }

        /** A {@code Location} naming an upstream instance names the external origin instead. */
        private String rewriteLocation(String location, Instance target) {
            String out = location;
            try {
                URI u = URI.create(location);
                if (u.isAbsolute() && u.getRawAuthority() != null && upstreams.isInternal(authority(u))) {
                    out = origin.scheme() + "://" + origin.host() + location.substring(location.indexOf(u.getRawAuthority())
                            + u.getRawAuthority().length());
                }
                if (UPLOAD.matcher(u.getPath() == null ? "" : u.getPath()).matches()) {
                    out = withoutParam(out, INSTANCE_PARAM);
                    out = out + (out.contains("?") ? "&" : "?") + INSTANCE_PARAM + "=" + target.key();
                }
            } catch (IllegalArgumentException e) {
                // Not a URI: pass it on untouched.
            }
            return out;
        }

        void tooLarge(long max) {
            // Only /v2 manifest PUTs are read: the spec's code, with the status distribution answers.
            fail(WireErrors.oci(413, RegistryErrorCode.MANIFEST_INVALID, "a manifest is at most " + max + " bytes", null));
        }

        /** 503 UNAVAILABLE in the vocabulary of the path, with the trace id and {@code Retry-After: 1}. */
        private WireError unavailable(String message) {
            return WireErrors.forStatus(Surface.of(ctx.request().path()), 503, message, traceparent.substring(3, 35))
                    .retryAfter(1);
        }

        /** Answers {@code error} (libs/errors decided status, body and headers); a body not yet read is not waited for. */
        void fail(WireError error) {
            if (answered) {
                return;
            }
            answered = true;
            HttpServerResponse resp = ctx.response();
            if (resp.headWritten() || resp.closed()) {
                resp.reset();
                return;
            }
            resp.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            error.headers().forEach(resp::putHeader);
            if (!ctx.request().isEnded()) {
                // The rest of the body is not read; the connection cannot be reused after it.
                resp.putHeader(HttpHeaders.CONNECTION, "close");
            }
            hsts(resp);
            resp.end(error.json());
        }

        private void hsts(HttpServerResponse resp) {
            Proxy.hsts(config, ctx.request(), resp);
        }

        void log() {
            if (!config.accessLog()) {
                return;
            }
            AccessLog.write(ctx, start, origin.clientIp(), instance, traceparent.substring(3, 35));
        }
    }

    /** {@code Strict-Transport-Security} on an answer to an HTTPS request, unless {@code hsts-max-age} is zero. */
    public static void hsts(GatewayConfig config, HttpServerRequest req, HttpServerResponse resp) {
        if (req.isSSL() && !config.hstsMaxAge().isZero()) {
            resp.putHeader("Strict-Transport-Security", "max-age=" + config.hstsMaxAge().toSeconds());
        }
    }

    private static String authority(URI u) {
        int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return u.getHost() + ":" + port;
    }

    /** Whether a request carries a body: a length above zero, or chunked. */
    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && parseLong(length) > 0) || req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (req.version() == HttpVersion.HTTP_2 && length == null && !req.isEnded()
                        && (req.method() == HttpMethod.PUT || req.method() == HttpMethod.POST || req.method() == HttpMethod.PATCH));
    }

    private static boolean carriesBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection == null) {
            return Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String t : connection.split(",")) {
            out.add(t.trim().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** {@code uri} without the query parameter {@code name}. */
    static String withoutParam(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return uri;
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : uri.substring(q + 1).split("&")) {
            if (!pair.isEmpty() && !pair.equals(name) && !pair.startsWith(name + "=")) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        return kept.length() == 0 ? uri.substring(0, q) : uri.substring(0, q + 1) + kept;
    }

    /** The client's W3C trace context if valid, else a new one, so the upstream's spans join it. */
    static String traceparent(String incoming) {
        if (incoming != null && incoming.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                && !incoming.substring(3, 35).equals("0".repeat(32))) {
            return incoming;
        }
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
