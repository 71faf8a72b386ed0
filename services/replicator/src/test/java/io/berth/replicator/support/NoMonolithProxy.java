package io.berth.replicator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reverse proxy in front of a registry that refuses a blob in one PUT (413, as a registry
 * behind a proxy with a body limit does) and passes everything else through, so a client must
 * send its blobs in PATCH chunks. Counts the refusals and the PATCH requests.
 */
public final class NoMonolithProxy implements AutoCloseable {

    private static final Set<String> HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "date");

    public final AtomicInteger refused = new AtomicInteger();
    public final AtomicInteger patches = new AtomicInteger();
    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).build();

    public NoMonolithProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            long length = ex.getRequestHeaders().getFirst("Content-Length") == null ? 0
                    : Long.parseLong(ex.getRequestHeaders().getFirst("Content-Length"));
            String path = ex.getRequestURI().getRawPath();
            if (method.equals("PUT") && path.contains("/blobs/uploads/") && length > 0) {
                refused.incrementAndGet();
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                ex.sendResponseHeaders(413, -1);
                return;
            }
            if (method.equals("PATCH")) {
                patches.incrementAndGet();
            }
            String query = ex.getRequestURI().getRawQuery();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path + (query == null ? "" : "?" + query)));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!HOP.contains(h.getKey().toLowerCase())) {
                    h.getValue().forEach(v -> b.header(h.getKey(), v));
                }
            }
            InputStream body = ex.getRequestBody();
            b.method(method, length > 0 ? HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> body), length) : HttpRequest.BodyPublishers.noBody());
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.headers().map().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase()) && !k.equals(":status")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v.replace(upstream, url())));
                }
            });
            long out = r.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean empty = method.equals("HEAD") || out == 0 || r.statusCode() == 204;
            ex.sendResponseHeaders(r.statusCode(), empty ? -1 : out);
            try (InputStream in = r.body()) {
                if (!empty) {
                    in.transferTo(ex.getResponseBody());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
