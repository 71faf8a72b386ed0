package io.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobStoreContract} and the failure modes of S3, against the real local S3 endpoint that
 * {@code ./berth test} starts (S3Proxy), in the scratch bucket {@code berth-test}.
 */
class S3BlobStoreTest extends BlobStoreContract {

    private static final String ENDPOINT =
            System.getenv().getOrDefault("BERTH_STORAGE_ENDPOINT", "http://127.0.0.1:9000");

    /** Port 1 on loopback: nothing listens there, the connection is refused at once. */
    private static final String UNREACHABLE = "http://127.0.0.1:1";

    @Override
    protected BlobStore newStore() {
        return new S3BlobStore(config(ENDPOINT, "berth-test", "berth-local-secret"));
    }

    @Override
    protected BlobStore reopen() {
        return newStore();
    }

    private static StorageConfig config(String endpoint, String bucket, String secret) {
        return new StorageConfig() {
            public String endpoint() { return endpoint; }
            public String accessKey() { return "berth"; }
            public String secretKey() { return secret; }
            public String bucket() { return bucket; }
            public String region() { return "us-east-1"; }
            public Kind kind() { return Kind.S3; }
            public Filesystem filesystem() { return Optional::empty; }
            public boolean directRelay() { return true; }
        };
    }

    @Test
    void existingBucketIsAvailable() {
        var store = new S3BlobStore(config(ENDPOINT, "berth-test", "berth-local-secret"));
        assertDoesNotThrow(store::checkAvailable);
    }

    @Test
    void missingBucketIsUnavailable() {
        var store = new S3BlobStore(config(ENDPOINT, "no-such-bucket-here", "berth-local-secret"));
        var e = assertThrows(StorageUnavailableException.class, store::checkAvailable);
        assertTrue(e.getMessage().contains("no-such-bucket-here"), e.getMessage());
    }

    @Test
    void missingBucketIsNeverReportedAsAMissingBlob() {
        var store = new S3BlobStore(config(ENDPOINT, "no-such-bucket-here", "berth-local-secret"));
        ObjectId id = ObjectId.random();
        // HEAD (size) gets a bodiless 404 that the SDK labels NoSuchKey; GET (open) says NoSuchBucket.
        assertThrows(StorageUnavailableException.class, () -> store.size(id));
        assertThrows(StorageUnavailableException.class, () -> store.open(id, 0, -1));
    }

    @Test
    void wrongSecretIsUnavailable() {
        var store = new S3BlobStore(config(ENDPOINT, "berth-test", "not-the-secret"));
        assertThrows(StorageUnavailableException.class, store::checkAvailable);
        // Refused credentials are the operator's problem, never a "blob unknown".
        assertThrows(StorageUnavailableException.class, () -> store.size(ObjectId.random()));
    }

    @Test
    void unreachableEndpointIsUnavailable() {
        var store = new S3BlobStore(config(UNREACHABLE, "berth-test", "berth-local-secret"));
        assertThrows(StorageUnavailableException.class, store::checkAvailable);
    }

    @Test
    void unreachableEndpointFailsReadsAndWritesAsUnavailable() {
        var store = new S3BlobStore(config(UNREACHABLE, "berth-test", "berth-local-secret"));
        ObjectId id = ObjectId.random();
        assertThrows(StorageUnavailableException.class, () -> store.size(id));
        assertThrows(StorageUnavailableException.class,
                () -> store.put(id, new ByteArrayInputStream(new byte[10]), 10));
        assertThrows(StorageUnavailableException.class, () -> store.beginMultipart(id));
        assertThrows(StorageUnavailableException.class, () -> store.delete(id));
    }

    @Test
    void presigningNeedsNoConnection() {
        var store = new S3BlobStore(config(UNREACHABLE, "berth-test", "berth-local-secret"));
        ObjectId id = ObjectId.random();
        var uri = store.redirect(id, Duration.ofMinutes(1)).orElseThrow();
        assertTrue(uri.toString().startsWith(UNREACHABLE + "/berth-test/" + ObjectKeys.blob(id) + "?"), uri.toString());
        assertTrue(uri.getQuery().contains("X-Amz-Expires=60"), uri.toString());
    }

    @Test
    void presignedPutWritesTheBlobWithoutTheBodyInTheSignature() throws Exception {
        var store = new S3BlobStore(config(ENDPOINT, "berth-test", "berth-local-secret"));
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(10).nextBytes(bytes);
        ObjectId id = ObjectId.random();
        try {
            var uri = store.presign(io.minio.Http.Method.PUT, id, Duration.ofMinutes(5));
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(uri).PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            org.junit.jupiter.api.Assertions.assertEquals(200, response.statusCode(), response.body());
            org.junit.jupiter.api.Assertions.assertEquals(bytes.length, store.size(id));
        } finally {
            store.delete(id);
        }
        assertThrows(IllegalArgumentException.class, () -> store.presign(io.minio.Http.Method.PUT, id, Duration.ofDays(8)));
        assertThrows(IllegalArgumentException.class, () -> store.redirect(id, Duration.ZERO));
    }

    /**
     * A store that answers the first {@code failures} requests with {@code status}, then 200: the
     * endpoint S3 describes when it says "InternalError, try again". Only the retry rule is under
     * test here, so the answers are canned; everything else runs against S3Proxy above.
     */
    private static com.sun.net.httpserver.HttpServer failingStore(int failures, int status,
            java.util.concurrent.atomic.AtomicInteger requests) throws java.io.IOException {
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            if (n <= failures) {
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                        + (status == 503 ? "SlowDown" : status == 500 ? "InternalError" : "AccessDenied")
                        + "</Code><Message>canned</Message></Error>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(status, xml.length);
                exchange.getResponseBody().write(xml);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(com.sun.net.httpserver.HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void writeIsTriedAgainWhileTheStoreAnswers500Or503() throws Exception {
        for (int status : new int[] {500, 503}) {
            var requests = new java.util.concurrent.atomic.AtomicInteger();
            var server = failingStore(2, status, requests);
            try {
                var store = new S3BlobStore(config(url(server), "berth-test", "berth-local-secret"));
                byte[] bytes = randomBytes(1000, 45);
                // Both the in-memory write and a stream short enough for one request are replayable.
                assertDoesNotThrow(() -> store.put(ObjectId.random(), bytes, bytes.length));
                assertEquals(3, requests.get(), "two " + status + " answers, then the write that worked");
                requests.set(0);
                assertDoesNotThrow(() -> store.put(ObjectId.random(), new ByteArrayInputStream(bytes), bytes.length));
                assertEquals(3, requests.get(), "the stream's bytes were sent again after each " + status);
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void storeThatKeepsFailingOrRefusesIsUnavailableWithoutEndlessRetries() throws Exception {
        var requests = new java.util.concurrent.atomic.AtomicInteger();
        var server = failingStore(Integer.MAX_VALUE, 500, requests);
        try {
            var store = new S3BlobStore(config(url(server), "berth-test", "berth-local-secret"));
            byte[] bytes = randomBytes(1000, 46);
            var e = assertThrows(StorageUnavailableException.class, () -> store.put(ObjectId.random(), bytes, bytes.length));
            assertTrue(e.getMessage().contains("500 InternalError"), e.getMessage());
            assertEquals(S3Calls.ATTEMPTS, requests.get());
        } finally {
            server.stop(0);
        }
        // A refusal is not a hiccup: 403 is answered once and not asked again.
        var refused = new java.util.concurrent.atomic.AtomicInteger();
        var denying = failingStore(Integer.MAX_VALUE, 403, refused);
        try {
            var store = new S3BlobStore(config(url(denying), "berth-test", "berth-local-secret"));
            assertThrows(StorageUnavailableException.class, () -> store.delete(ObjectId.random()));
            assertEquals(1, refused.get());
        } finally {
            denying.stop(0);
        }
    }
}
