package io.berth.gateway.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.errors.Surface;
import io.berth.errors.WireError;
import io.berth.errors.WireErrors;
import io.berth.gateway.config.GatewayConfig;
import io.berth.gateway.proxy.AccessLog;
import io.berth.gateway.proxy.Origin;
import io.berth.gateway.proxy.Proxy;
import io.berth.security.net.TrustedProxies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Serves the web console (ADR 0047) on every path the route table does not send to a service
 * and no API reserves ({@link ConsolePaths#reserved}): its files from memory
 * ({@link ConsoleFiles}), {@code index.html} for every page of the single-page app, and
 * {@value ConsolePaths#CONFIG}, the settings it signs in with.
 *
 * <ul>
 *   <li>GET and HEAD only; any other method is 405 with {@code Allow: GET, HEAD}.
 *   <li>{@code /assets/*} (content-hashed names) are cached for a year, immutable; every other
 *       file, the app's pages and the settings are {@code no-cache} with a strong {@code ETag}
 *       and 304 for {@code If-None-Match}.
 *   <li>Brotli or gzip variants built beside a file are sent to clients that take them.
 *   <li>A missing file (a path with a file's extension, or not well formed: {@code ..},
 *       {@code //}, {@code %}, backslash) is 404 {@code NOT_FOUND}, never the app's page.
 *   <li>Off ({@code berth.gateway.console.enabled=false}) or built without the console, every
 *       console path is 404 {@code NOT_FOUND} saying so.
 *   <li>Every answer carries {@link ConsoleHeaders} and HSTS on HTTPS, and one access-log line
 *       with the upstream {@value #UPSTREAM}.
 * </ul>
 */
@ApplicationScoped
public class Console {

    private static final Logger LOG = Logger.getLogger(Console.class);

    /** The access log's upstream for answers of the console. */
    static final String UPSTREAM = "console";

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    private final GatewayConfig config;
    private final TrustedProxies trusted;
    private final Map<String, String> securityHeaders;
    /** The files, or empty when the console is off or not on the classpath. */
    private final Optional<ConsoleFiles> files;
    private final ConsoleFile settings;

    public Console(GatewayConfig config, ObjectMapper json) {
        this.config = config;
        this.trusted = new TrustedProxies(config.forwarding().trustedProxies().orElse(List.of()));
        GatewayConfig.Console console = config.console();
        this.securityHeaders = ConsoleHeaders.of(console.oidcIssuer());
        this.settings = ConsoleFile.of("config.json", settingsJson(json, console), null, null);
        this.files = console.enabled() ? load(console.root()) : Optional.empty();
    }

    private static Optional<ConsoleFiles> load(String root) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConsoleFiles files = ConsoleFiles.load(loader == null ? Console.class.getClassLoader() : loader, root);
        if (files.get("index.html").isEmpty()) {
            LOG.infof("no web console on the classpath (%s/index.html); its paths answer 404", root);
            return Optional.empty();
        }
        LOG.infof("serving the web console: %d files from classpath %s", files.size(), root);
        return Optional.of(files);
    }

    private static byte[] settingsJson(ObjectMapper json, GatewayConfig.Console console) {
        try {
            return json.writeValueAsString(Map.of("issuer", console.oidcIssuer().toString(), "clientId", console.clientId()))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write two strings as JSON", e);
        }
    }

    void install(@Observes Router router) {
        // After the proxy (order -1000), which takes every path the route table matches; before
        // Quarkus's routes and the gateway's own /api/v1 answers, which see only reserved paths.
        router.route().order(-900).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String path = req.path();
        if (path == null || ConsolePaths.reserved(path)) {
            ctx.next();
            return;
        }
        long start = System.nanoTime();
        String clientIp = Origin.of(req, trusted).clientIp();
        String traceId = WireErrors.traceId(req.getHeader("traceparent"));
        ctx.addEndHandler(done -> {
            if (config.accessLog()) {
                AccessLog.write(ctx, start, clientIp, UPSTREAM, traceId);
            }
        });
        HttpServerResponse resp = ctx.response();
        securityHeaders.forEach(resp::putHeader);
        Proxy.hsts(config, req, resp);
        if (files.isEmpty()) {
            refuse(ctx, WireErrors.forStatus(Surface.API, 404, "the web console is not part of this gateway "
                    + "(berth.gateway.console.enabled, or a build without it); the API is at /api/v1", null));
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            refuse(ctx, WireErrors.forStatus(Surface.API, 405, "the console's paths take GET and HEAD only", null)
                    .with("Allow", "GET, HEAD"));
            return;
        }
        if (path.equals(ConsolePaths.CONFIG)) {
            serve(ctx, settings, REVALIDATE);
            return;
        }
        Optional<String> name = ConsolePaths.fileName(path);
        Optional<ConsoleFile> file = name.flatMap(files.get()::get);
        if (file.isPresent()) {
            serve(ctx, file.get(), name.get().startsWith("assets/") ? IMMUTABLE : REVALIDATE);
        } else if (ConsolePaths.page(path)) {
            serve(ctx, files.get().get("index.html").orElseThrow(), REVALIDATE);
        } else {
            refuse(ctx, WireErrors.forStatus(Surface.API, 404, "the console has no file at this path", null));
        }
    }

    /** The representation of {@code file} the client takes, or 304 if it has it already. */
    private static void serve(RoutingContext ctx, ConsoleFile file, String cacheControl) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse resp = ctx.response();
        ConsoleFile.Representation chosen = file.pick(AcceptEncoding.parse(req.getHeader(HttpHeaders.ACCEPT_ENCODING)));
        resp.putHeader(HttpHeaders.CACHE_CONTROL, cacheControl).putHeader(HttpHeaders.ETAG, chosen.etag());
        if (file.varies()) {
            resp.putHeader(HttpHeaders.VARY, "Accept-Encoding");
        }
        if (EntityTags.matchesAny(req.getHeader(HttpHeaders.IF_NONE_MATCH), chosen.etag())) {
            resp.setStatusCode(304).end();
            return;
        }
        resp.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(chosen.bytes().length()));
        if (chosen.coding() != null) {
            resp.putHeader(HttpHeaders.CONTENT_ENCODING, chosen.coding());
        }
        if (req.method() == HttpMethod.HEAD) {
            resp.end();
        } else {
            resp.end(chosen.bytes());
        }
    }

    private static void refuse(RoutingContext ctx, WireError error) {
        HttpServerResponse resp = ctx.response();
        resp.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        error.headers().forEach(resp::putHeader);
        if (!ctx.request().isEnded()) {
            // A body left unread: the connection cannot carry another request after this.
            resp.putHeader(HttpHeaders.CONNECTION, "close");
        }
        resp.end(error.json());
    }
}
