package io.berth.scanner.adapter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in Pluggable Scanner API server on 127.0.0.1 whose answers a test scripts per path
 * ({@code /api/v1/metadata}, {@code /api/v1/scan}, {@code /api/v1/scan/{id}/report}), for the
 * error cases a real adapter rarely shows: 302 loops, Refresh-After, 4xx/5xx error bodies,
 * malformed JSON, slow answers. It records the requests' headers.
 */
final class StandInAdapter implements AutoCloseable {

    /** One scripted answer; {@code delayMillis} before it is sent. */
    record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, 0);
        }
    }

    /** Answers per path, in order; the last one repeats. */
    private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StandInAdapter() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    StandInAdapter on(String path, Answer... answers) {
        scripts.put(path, List.of(answers));
        return this;
    }

    int calls(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(Map.copyOf(exchange.getRequestHeaders()));
        exchange.getRequestBody().readAllBytes();
        int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
        List<Answer> script = scripts.get(path);
        Answer a = script == null ? Answer.json(404, "{\"error\":{\"message\":\"no such path\"}}")
                : script.get(Math.min(n, script.size() - 1));
        try {
            Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test)
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
