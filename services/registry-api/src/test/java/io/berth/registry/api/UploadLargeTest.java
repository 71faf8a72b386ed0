package io.berth.registry.api;

import io.berth.registry.support.TestTokens;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.registry.support.BlobPushes;
import io.berth.registry.support.GeneratedStream;
import io.berth.registry.support.TestDatabase;
import io.berth.registry.support.TestProjects;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 200 MiB body generated on the fly is PATCHed in one request and committed, both ways a body
 * can travel. Of unannounced length, it goes through parts: while the client is still sending,
 * the session row must already record written parts. With a Content-Length, it goes to the store
 * in one streamed PUT: while the client is still sending, the live heap of this JVM (which runs the
 * registry) must not have grown by anything near the bytes sent. Either is proof that the server
 * streams the body into the object store instead of buffering it whole first.
 */
@QuarkusTest
class UploadLargeTest {

    private static final long SIZE = 200L * 1024 * 1024;
    private static final long MIDWAY = 150L * 1024 * 1024;
    private static final long SEED = 42;

    @TestHTTPResource("/")
    URI base;

    @Test
    void a200MiBBodyOfUnannouncedLengthStreamsThroughPartsAndCommits() throws Exception {
        String name = TestProjects.create("large") + "/app";
        String location = BlobPushes.start(name);
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        AtomicLong recordedMidway = new AtomicLong(-1);

        // At 150 MiB sent, wait (up to 30 s) for the server to record parts of this very request.
        GeneratedStream body = new GeneratedStream(SEED, SIZE).onOffset(MIDWAY,
                () -> recordedMidway.set(awaitProgress(uuid)));
        var response = patch(location, HttpRequest.BodyPublishers.ofInputStream(() -> body));

        assertEquals(202, response.statusCode(), response.body());
        assertTrue(recordedMidway.get() > 0,
                "no part was recorded while the body was still arriving: the body is buffered, not streamed");
        assertTrue(TestDatabase.queryLong("SELECT jsonb_array_length(parts) FROM uploads WHERE id = ?::uuid", uuid) > 1);
        commitAndPull(name, location);
    }

    @Test
    void a200MiBBodyWithContentLengthGoesToTheStoreInOnePutAndCommits() throws Exception {
        String name = TestProjects.create("large-whole") + "/app";
        String location = BlobPushes.start(name);
        String uuid = location.substring(location.lastIndexOf('/') + 1);
        long before = liveHeap();
        AtomicLong grownMidway = new AtomicLong(Long.MAX_VALUE);

        GeneratedStream body = new GeneratedStream(SEED, SIZE).onOffset(MIDWAY,
                () -> grownMidway.set(liveHeap() - before));
        var response = patch(location, HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE));

        assertEquals(202, response.statusCode(), response.body());
        assertTrue(grownMidway.get() < 48L * 1024 * 1024, "with 150 MiB sent the live heap had grown by "
                + grownMidway.get() + " bytes: the body is buffered, not streamed");
        // One object, no parts: the whole body is the session's tail in place.
        assertEquals(SIZE, TestDatabase.queryLong("SELECT tail_bytes FROM uploads WHERE id = ?::uuid", uuid));
        assertEquals(0, TestDatabase.queryLong("SELECT jsonb_array_length(parts) FROM uploads WHERE id = ?::uuid", uuid));
        commitAndPull(name, location);
    }

    private HttpResponse<String> patch(String location, HttpRequest.BodyPublisher body) throws Exception {
        var request = HttpRequest.newBuilder(base.resolve(location))
                .header("Authorization", TestTokens.authorizationFor("PATCH", location))
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", body)
                .build();
        var response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
            assertEquals("0-" + (SIZE - 1), response.headers().firstValue("Range").orElseThrow());
        }
        return response;
    }

    private static void commitAndPull(String name, String location) {
        Digest expected = digestOf(new GeneratedStream(SEED, SIZE));
        given().queryParam("digest", expected.toString()).when().put(location)
                .then().statusCode(201).header("Docker-Content-Digest", expected.toString());
        given().when().head("/v2/" + name + "/blobs/" + expected)
                .then().statusCode(200).header("Content-Length", String.valueOf(SIZE));
        try (InputStream pulled = given().when().get("/v2/" + name + "/blobs/" + expected).asInputStream()) {
            assertEquals(expected, digestOf(pulled));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes reachable on the heap after a full collection. */
    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long awaitProgress(String uuid) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long received;
        do {
            received = TestDatabase.queryLong("SELECT received_bytes FROM uploads WHERE id = ?::uuid", uuid);
            if (received > 0) {
                return received;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return received;
            }
        } while (System.nanoTime() < deadline);
        return received;
    }

    private static Digest digestOf(InputStream in) {
        var md = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] chunk = new byte[1 << 16];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                md.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Digest.of(DigestAlgorithm.SHA256, md.digest());
    }
}
