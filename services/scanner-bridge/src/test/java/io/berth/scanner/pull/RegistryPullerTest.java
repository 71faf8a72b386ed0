package io.berth.scanner.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pull client against a stand-in registry that wants the Docker token flow (401 with a
 * Bearer challenge; the token service takes Basic credentials), redirects blobs to another
 * origin, and can serve wrong bytes.
 */
class RegistryPullerTest {

    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("robot:pw".getBytes(StandardCharsets.UTF_8));
    static final String TOKEN = "tok-123";

    HttpServer registry;
    HttpServer storage;
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, String> storageAuth = new ConcurrentHashMap<>();
    byte[] manifest;
    String manifestDigest;
    String layerDigest;
    final RegistryPuller puller = new RegistryPuller(Duration.ofSeconds(2), Duration.ofSeconds(5));

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void start() throws Exception {
        byte[] layer = "not really a tar".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"os\":\"linux\",\"architecture\":\"arm64\",\"rootfs\":{\"type\":\"layers\"}}".getBytes();
        layerDigest = sha256(layer);
        blobs.put(layerDigest, layer);
        blobs.put(sha256(config), config);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        manifestDigest = sha256(manifest);
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", ex -> {
            String digest = ex.getRequestURI().getPath().substring(1);
            storageAuth.put(digest, String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            send(ex, 200, blobs.get(digest), null);
        });
        storage.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String realm = "http://127.0.0.1:" + registry.getAddress().getPort() + "/token";
        registry.createContext("/token", ex -> {
            boolean ok = BASIC.equals(ex.getRequestHeaders().getFirst("Authorization"))
                    && ex.getRequestURI().getQuery().contains("scope=repository:team/app:pull");
            send(ex, ok ? 200 : 401, ok ? ("{\"token\":\"" + TOKEN + "\"}").getBytes() : new byte[0], null);
        });
        registry.createContext("/v2/", ex -> {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + realm
                        + "\",service=\"test-registry\",scope=\"repository:team/app:pull\"");
                send(ex, 401, new byte[0], null);
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/v2/team/app/manifests/" + manifestDigest)) {
                send(ex, 200, manifest, "application/vnd.oci.image.manifest.v1+json");
            } else if (path.startsWith("/v2/team/app/blobs/")) {
                String digest = path.substring("/v2/team/app/blobs/".length());
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/" + digest);
                send(ex, 307, new byte[0], null);
            } else {
                send(ex, 404, new byte[0], null);
            }
        });
        registry.start();
    }

    static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
        if (body != null && body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void basicCredentialsAreExchangedForATokenAndBlobsFollowRedirectsWithoutThem() throws Exception {
        PulledImage image = puller.pull(url(), BASIC, "team/app", manifestDigest);
        assertEquals("linux", image.os());
        assertEquals("arm64", image.architecture());
        assertEquals(1, image.layers().size());
        try (InputStream in = image.layers().get(0).content().open()) {
            assertEquals("not really a tar", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("null", storageAuth.get(layerDigest), "no Authorization to another origin");
    }

    @Test
    void wrongCredentialsAreUnauthorized() {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("robot:nope".getBytes());
        PullException e = assertThrows(PullException.class, () -> puller.pull(url(), wrong, "team/app", manifestDigest));
        assertEquals(PullException.Reason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("token service"), e.getMessage());
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestFailsAtItsEnd() throws Exception {
        PulledImage image = puller.pull(url(), BASIC, "team/app", manifestDigest);
        blobs.put(layerDigest, "other bytes".getBytes());
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = image.layers().get(0).content().open()) {
                in.readAllBytes();
            }
        });
        assertTrue(e.getMessage().contains("arrived with the digest"), e.getMessage());
    }

    @Test
    void anUnknownManifestIsNotFound() {
        PullException e = assertThrows(PullException.class,
                () -> puller.pull(url(), BASIC, "team/app", "sha256:" + "c".repeat(64)));
        assertEquals(PullException.Reason.NOT_FOUND, e.reason());
    }
}
