package io.berth.storage.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.storage.BlobStore;
import io.berth.storage.ObjectId;
import io.berth.storage.S3BlobStore;
import io.berth.storage.StorageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BlobStore#send}'s default path (what a backend without a fast path of its own takes)
 * into a real Vert.x response through {@link HttpBodies#sink}: the S3 store without its
 * transport reads the blob with its SDK, and the sink writes it with back-pressure. A body that
 * would end at another length than the response announced resets the connection instead.
 */
@Timeout(60)
class ResponseSinkTest {

    private static final String ENDPOINT =
            System.getenv().getOrDefault("BERTH_STORAGE_ENDPOINT", "http://127.0.0.1:9000");
    private static final byte[] BLOB = new byte[5 * 1024 * 1024 + 11];

    static {
        new Random(31).nextBytes(BLOB);
    }

    private final BlobStore store = new S3BlobStore(new StorageConfig() {
        public String endpoint() { return ENDPOINT; }
        public String accessKey() { return "berth"; }
        public String secretKey() { return "berth-local-secret"; }
        public String bucket() { return "berth-test"; }
        public String region() { return "us-east-1"; }
        public boolean directRelay() { return true; }
        public Kind kind() { return Kind.S3; }
        public Filesystem filesystem() { return java.util.Optional::empty; }
    });
    private final Vertx vertx = Vertx.vertx();
    private final ObjectId id = ObjectId.random();
    private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

    @AfterEach
    void stop() throws Exception {
        store.delete(id);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A server that sends bytes [offset, offset+length) of the blob, announcing {@code announced} bytes. */
    private int serve(long offset, long length, long announced) throws Exception {
        store.put(id, new java.io.ByteArrayInputStream(BLOB), BLOB.length);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(request -> {
            request.response().putHeader("Content-Length", Long.toString(announced));
            store.send(id, offset, length, HttpBodies.sink(request.response()))
                    .whenComplete((done, failure) -> outcome.complete(failure));
        });
        return server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @Test
    void aSlowClientGetsTheWholeBlob() throws Exception {
        int port = serve(0, -1, BLOB.length);

        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] got;
        try (InputStream in = response.body()) {
            var out = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                Thread.sleep(1); // slower than loopback, so the response's queue fills
            }
            got = out.toByteArray();
        }

        assertArrayEquals(BLOB, got);
        assertEquals(null, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRangeIsSent() throws Exception {
        int port = serve(1000, 300_000, 300_000);

        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertArrayEquals(Arrays.copyOfRange(BLOB, 1000, 301_000), response.body());
    }

    @Test
    void aBodyShorterThanAnnouncedResetsTheConnection() throws Exception {
        int port = serve(0, -1, BLOB.length + 1);

        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof IOException, "the send fails too");
    }
}
