package io.berth.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Two stand-ins for registry-api (instances "a" and "b") and one each for auth, gc,
 * scanner-bridge ("scanner") and the replicator, on loopback. They
 * answer what the gateway's tests need and record what reached them:
 * <ul>
 *   <li>{@code /echo/...}: the request's headers and its body's length and SHA-256, as JSON;
 *   <li>{@code /v2/big?bytes=N}: N bytes of a fixed pattern, with registry headers;
 *   <li>{@code POST /v2/<name>/blobs/uploads/}: 202 with an absolute upload location on its
 *       own address;
 *   <li>{@code /v2/<name>/blobs/uploads/<id>}: 202, recording which instance took the chunk;
 *   <li>{@code /v2/redirect}: 307 to object storage;
 *   <li>{@code /v2/auth}: 401 with a challenge built from the forwarded headers.
 * </ul>
 */
public class EchoUpstream implements QuarkusTestResourceLifecycleManager {

    /** Instance name that took each upload request, by upload id. */
    public static final Map<String, List<String>> UPLOADS = new ConcurrentHashMap<>();
    /** Instance names of the requests to {@code /echo}, in order. */
    public static final List<String> ECHOED_BY = new CopyOnWriteArrayList<>();

    private static final Map<String, HttpServer> SERVERS = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        String a = serve("a");
        String b = serve("b");
        String auth = serve("auth");
        return Map.of(
                "berth.gateway.upstreams.registry-api.instances", a + "," + b,
                "berth.gateway.upstreams.auth.instances", auth,
                "berth.gateway.upstreams.gc.instances", serve("gc"),
                "berth.gateway.upstreams.scanner-bridge.instances", serve("scanner"),
                "berth.gateway.upstreams.replicator.instances", serve("replicator"));
    }

    /** Stops instance {@code name} (for failover tests); it does not come back. */
    public static void kill(String name) {
        HttpServer s = SERVERS.remove(name);
        if (s != null) {
            s.stop(0);
        }
    }

    private static String serve(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/", exchange -> answer(name, base, exchange));
            server.start();
            SERVERS.put(name, server);
            return base;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(String name, String base, HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        ex.getResponseHeaders().add("X-Instance", name);
        try (ex) {
            if (path.equals("/q/health/live")) {
                send(ex, 200, "{\"status\":\"UP\"}");
            } else if (path.startsWith("/echo") || path.startsWith("/v2/echo") || path.equals("/service/token")
                    || path.startsWith("/api/v1")) {
                ECHOED_BY.add(name);
                MessageDigest sha = sha256();
                long length = 0;
                byte[] buf = new byte[65536];
                try (InputStream in = ex.getRequestBody()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                        length += n;
                    }
                }
                StringBuilder headers = new StringBuilder();
                ex.getRequestHeaders().forEach((k, v) -> headers.append(headers.length() == 0 ? "" : ",")
                        .append('"').append(k.toLowerCase()).append("\":\"").append(String.join(";", v).replace("\"", "'")).append('"'));
                send(ex, 200, "{\"instance\":\"" + name + "\",\"method\":\"" + ex.getRequestMethod() + "\",\"uri\":\""
                        + ex.getRequestURI() + "\",\"length\":" + length + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest())
                        + "\",\"headers\":{" + headers + "}}");
            } else if (path.equals("/v2/big")) {
                long bytes = Long.parseLong(query.replaceAll(".*bytes=(\\d+).*", "$1"));
                ex.getResponseHeaders().add("Docker-Content-Digest", "sha256:feed");
                ex.getResponseHeaders().add("OCI-Filters-Applied", "artifactType");
                ex.getResponseHeaders().add("Content-Range", "bytes 0-" + (bytes - 1) + "/" + bytes);
                if ("HEAD".equals(ex.getRequestMethod())) {
                    // What registry-api answers to HEAD: the length of the body a GET would get.
                    ex.getResponseHeaders().set("Content-Length", String.valueOf(bytes));
                }
                ex.sendResponseHeaders(200, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes);
                if (!"HEAD".equals(ex.getRequestMethod())) {
                    byte[] block = new byte[65536];
                    for (int i = 0; i < block.length; i++) {
                        block[i] = (byte) (i * 31);
                    }
                    try (OutputStream out = ex.getResponseBody()) {
                        for (long left = bytes; left > 0; left -= block.length) {
                            out.write(block, 0, (int) Math.min(block.length, left));
                        }
                    }
                }
            } else if (path.matches("/v2/.+/blobs/uploads/") && ex.getRequestMethod().equals("POST")) {
                String id = "upload-" + System.nanoTime();
                UPLOADS.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(name);
                ex.getResponseHeaders().add("Location", base + path + id + "?_state=opaque");
                ex.getResponseHeaders().add("Docker-Upload-UUID", id);
                ex.getResponseHeaders().add("Range", "0-0");
                send(ex, 202, "");
            } else if (path.matches("/v2/.+/blobs/uploads/[^/]+")) {
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                String id = path.substring(path.lastIndexOf('/') + 1);
                UPLOADS.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(name);
                ex.getResponseHeaders().add("Location", base + path + "?" + (query == null ? "" : query));
                ex.getResponseHeaders().add("Docker-Upload-UUID", id);
                send(ex, 202, "");
            } else if (path.equals("/v2/redirect")) {
                ex.getResponseHeaders().add("Location", "http://s3.example.com:9000/berth/blobs/x?X-Amz-Signature=abc");
                send(ex, 307, "");
            } else if (path.equals("/v2/auth")) {
                String proto = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
                String host = ex.getRequestHeaders().getFirst("X-Forwarded-Host");
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"" + proto + "://" + host + "/service/token\",service=\"berth\"");
                send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            } else {
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                send(ex, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"" + path + "\"}]}");
            }
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        SERVERS.values().forEach(s -> s.stop(0));
        SERVERS.clear();
    }
}
